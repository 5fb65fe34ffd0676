package dev.lookout.proberunner.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.lookout.proberunner.client.EndpointAllowlist;
import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.domain.NewEndpoint;
import dev.lookout.proberunner.domain.SamplingParams;
import dev.lookout.proberunner.entity.Endpoint;
import dev.lookout.proberunner.repository.EndpointRepository;

@ApplicationScoped
@Transactional
public class EndpointService {

    public static final int DEFAULT_MAX_CONCURRENCY = 4;
    public static final int DEFAULT_TIMEOUT_MS = 60_000;
    public static final int DEFAULT_MAX_TOKENS = 512;
    /** Values of adapterLoading: none (the default) or vllm (vLLM's runtime LoRA API). */
    public static final String ADAPTERS_NONE = "none";
    public static final String ADAPTERS_VLLM = "vllm";
    private static final List<String> ADAPTER_LOADING = List.of(ADAPTERS_NONE, ADAPTERS_VLLM);
    /** Fields the runner sets itself; extraBody may not override them. */
    private static final List<String> RESERVED = List.of("model", "messages", "stream", "n");

    private final EndpointRepository endpoints;
    private final SecretCipher cipher;
    private final ProbeRunnerConfig config;
    private final EndpointAllowlist allowlist;

    public EndpointService(EndpointRepository endpoints, SecretCipher cipher, ProbeRunnerConfig config,
            EndpointAllowlist allowlist) {
        this.allowlist = allowlist;
        this.endpoints = endpoints;
        this.cipher = cipher;
        this.config = config;
    }

    public Endpoint create(Caller caller, NewEndpoint req) {
        caller.requireProject(req.project());
        String baseUrl = checkBaseUrl(req.baseUrl());
        String adapterLoading = adapterLoading(req.adapterLoading());
        if (req.extraBody() != null) {
            for (String reserved : RESERVED) {
                if (req.extraBody().containsKey(reserved)) {
                    throw BadInputException.field("extraBody." + reserved, "is set by the runner and cannot be overridden");
                }
            }
        }
        if (endpoints.findByName(req.project(), req.name()).isPresent()) {
            throw new ConflictException("An endpoint named '" + req.name() + "' already exists in project "
                    + req.project());
        }
        Endpoint e = new Endpoint();
        e.id = UUID.randomUUID();
        e.project = req.project();
        e.name = req.name();
        e.baseUrl = baseUrl;
        e.apiKeyEnc = req.apiKey() == null || req.apiKey().isEmpty() ? null : cipher.encrypt(req.apiKey(), e.id);
        e.maxConcurrency = req.maxConcurrency() == null ? DEFAULT_MAX_CONCURRENCY : req.maxConcurrency();
        e.timeoutMs = req.timeoutMs() == null ? DEFAULT_TIMEOUT_MS : req.timeoutMs();
        e.params = effectiveParams(req.params());
        e.extraBody = req.extraBody() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(req.extraBody());
        e.stream = Boolean.TRUE.equals(req.stream());
        e.maxResponseBytes = req.maxResponseBytes();
        e.immutableModels = Boolean.TRUE.equals(req.immutableModels());
        e.adapterLoading = adapterLoading == null ? ADAPTERS_NONE : adapterLoading;
        e.unloadAdapterAfterRun = !Boolean.FALSE.equals(req.unloadAdapterAfterRun());
        e.createdAt = Instant.now();
        endpoints.persist(e);
        return e;
    }

    /** PATCH: the adapter settings of an endpoint of the caller's project; absent fields keep their value. */
    public Endpoint update(Caller caller, UUID id, String adapterLoading, Boolean unloadAdapterAfterRun) {
        Endpoint e = find(caller, id);
        caller.requireProject(e.project);
        String checked = adapterLoading(adapterLoading);
        if (checked != null) {
            e.adapterLoading = checked;
        }
        if (unloadAdapterAfterRun != null) {
            e.unloadAdapterAfterRun = unloadAdapterAfterRun;
        }
        return e;
    }

    /** Null stays null (the default or the current value); anything but none or vllm is refused (422). */
    private static String adapterLoading(String value) {
        if (value != null && !ADAPTER_LOADING.contains(value)) {
            throw BadInputException.field("adapterLoading", "must be one of " + String.join(", ", ADAPTER_LOADING)
                    + " (none: checkpoints name served models; vllm: the runner loads LoRA adapters through vLLM's "
                    + "/v1/load_lora_adapter)");
        }
        return value;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Endpoint> list(Caller caller, String project) {
        return list(caller, project, null);
    }

    /** The endpoints the caller can see (of one project, or all); {@code name}: only the one of that name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Endpoint> list(Caller caller, String project, String name) {
        List<Endpoint> found;
        if (project != null && name != null) {
            found = caller.canSee(project) ? endpoints.findByName(project, name).stream().toList() : List.of();
        } else if (project != null) {
            found = caller.canSee(project) ? endpoints.list("project = ?1 order by name", project) : List.of();
        } else {
            found = caller.all() ? endpoints.listAllOrdered() : endpoints.listInProjects(caller.projects());
        }
        return found.stream().filter(e -> name == null || name.equals(e.name)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Endpoint find(Caller caller, UUID id) {
        return Optional.ofNullable(endpoints.findById(id)).filter(e -> caller.canSee(e.project))
                .orElseThrow(() -> new NotFoundException("endpoint not found: " + id));
    }

    /**
     * Decrypted API key for the HTTP client; never logged, never returned. A key stored before keys were bound to
     * their endpoint is stored again, bound (once).
     */
    public String apiKey(Endpoint e) {
        SecretCipher.Decrypted key = cipher.decrypt(e.apiKeyEnc, e.id);
        if (key == null) {
            return null;
        }
        if (key.legacy()) {
            String bound = cipher.encrypt(key.plaintext(), e.id);
            endpoints.update("apiKeyEnc = ?1 where id = ?2 and apiKeyEnc = ?3", bound, e.id, e.apiKeyEnc);
            e.apiKeyEnc = bound;
        }
        return key.plaintext();
    }

    /**
     * Only http(s) URLs whose host and port are on the allowlist: the runner never calls anything else (SSRF guard;
     * checked again before every call).
     */
    public String checkBaseUrl(String raw) {
        try {
            allowlist.check(raw);
        } catch (EndpointAllowlist.Refused e) {
            throw BadInputException.field("baseUrl", e.getMessage());
        }
        String s = java.net.URI.create(raw.trim()).toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("/v1")) {
            s = s.substring(0, s.length() - 3);
        }
        return s;
    }

    static Map<String, Object> effectiveParams(SamplingParams p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", p == null || p.temperature() == null ? 0.0 : p.temperature());
        m.put("top_p", p == null || p.topP() == null ? 1.0 : p.topP());
        m.put("max_tokens", p == null || p.maxTokens() == null ? DEFAULT_MAX_TOKENS : p.maxTokens());
        if (p != null && p.seed() != null) {
            m.put("seed", p.seed());
        } else {
            m.put("seed", 0L);
        }
        return m;
    }

    /** The endpoint's answer cap: its own, else the configured default. */
    public int maxResponseBytes(Endpoint e) {
        return e.maxResponseBytes == null ? config.endpoints().maxResponseBytes() : e.maxResponseBytes;
    }
}
