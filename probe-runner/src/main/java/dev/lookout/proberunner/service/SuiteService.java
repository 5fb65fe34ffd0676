package dev.lookout.proberunner.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.lookout.proberunner.config.ProbeRunnerConfig;
import dev.lookout.proberunner.domain.Probe;
import dev.lookout.proberunner.entity.Suite;
import dev.lookout.proberunner.entity.SuiteVersion;
import dev.lookout.proberunner.repository.SuiteRepository;
import dev.lookout.proberunner.repository.SuiteVersionRepository;

@ApplicationScoped
@Transactional
public class SuiteService {

    /** A suite with one of its versions. */
    public record Versioned(Suite suite, SuiteVersion version) {
    }

    /** {@code created}: a new suite or version; false when the content equals the latest version's. */
    public record Saved(Versioned suite, boolean created) {
    }

    private final SuiteRepository suites;
    private final SuiteVersionRepository versions;
    private final ProbeRunnerConfig config;
    /** Suite versions are immutable, so their probe index can be cached forever. */
    private final Map<UUID, Map<String, Probe>> probeIndex = new ConcurrentHashMap<>();

    public SuiteService(SuiteRepository suites, SuiteVersionRepository versions, ProbeRunnerConfig config) {
        this.suites = suites;
        this.versions = versions;
        this.config = config;
    }

    /** Same content as the latest version → that version; otherwise a new immutable version. */
    public Saved save(Caller caller, String project, String name, List<Probe> probes) {
        caller.requireProject(project);
        checkProbes(probes);
        String hash = CanonicalJson.sha256(CanonicalJson.write(probes));
        Suite suite = suites.findByName(project, name).orElse(null);
        if (suite == null) {
            suite = new Suite();
            suite.id = UUID.randomUUID();
            suite.project = project;
            suite.name = name;
            suite.createdAt = Instant.now();
            suites.persist(suite);
        } else {
            suites.getEntityManager().lock(suite, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            Optional<SuiteVersion> latest = versions.findLatest(suite.id);
            if (latest.isPresent() && latest.get().contentHash.equals(hash)) {
                return new Saved(new Versioned(suite, latest.get()), false);
            }
        }
        int next = versions.findLatest(suite.id).map(v -> v.version + 1).orElse(1);
        SuiteVersion v = new SuiteVersion();
        v.id = UUID.randomUUID();
        v.suiteId = suite.id;
        v.version = next;
        v.contentHash = hash;
        v.probes = List.copyOf(probes);
        v.createdAt = Instant.now();
        versions.persist(v);
        return new Saved(new Versioned(suite, v), true);
    }

    private void checkProbes(List<Probe> probes) {
        if (probes.size() > config.suites().maxProbes()) {
            throw new BadInputException(413, "A suite may hold at most " + config.suites().maxProbes()
                    + " probes (lookout.suites.max-probes); got " + probes.size(), List.of());
        }
        Set<String> seen = new HashSet<>();
        List<BadInputException.Problem> problems = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            if (!seen.add(probes.get(i).id())) {
                problems.add(new BadInputException.Problem("probes[" + i + "].id",
                        "duplicate probe id '" + probes.get(i).id() + "'"));
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(422, "Probe ids must be unique within a suite", problems);
        }
        for (int i = 0; i < probes.size(); i++) {
            for (var bad : CheckEvaluator.validate(probes.get(i).checks())) {
                problems.add(new BadInputException.Problem("probes[" + i + "].checks[" + bad.getKey() + "]",
                        "probe '" + probes.get(i).id() + "', check " + bad.getKey() + ": " + bad.getValue()));
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(422, "Invalid checks: " + problems.get(0).message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), problems);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Versioned> list(Caller caller, String project) {
        return list(caller, project, null);
    }

    /** The suites the caller can see (of one project, or all); {@code name}: only the one of that name (0 or 1 per project). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Versioned> list(Caller caller, String project, String name) {
        List<Suite> found;
        if (project != null && name != null) {
            found = caller.canSee(project) ? suites.findByName(project, name).stream().toList() : List.of();
        } else if (project != null) {
            found = caller.canSee(project) ? suites.list("project = ?1 order by name", project) : List.of();
        } else {
            found = caller.all() ? suites.listAllOrdered() : suites.listInProjects(caller.projects());
        }
        return found.stream().filter(s -> name == null || name.equals(s.name))
                .map(s -> new Versioned(s, versions.findLatest(s.id).orElseThrow())).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Versioned get(Caller caller, UUID id) {
        Suite s = Optional.ofNullable(suites.findById(id)).filter(x -> caller.canSee(x.project))
                .orElseThrow(() -> new NotFoundException("suite not found: " + id));
        return new Versioned(s, versions.findLatest(s.id).orElseThrow());
    }

    /** The named suite's given version, or its latest when version is null. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<SuiteVersion> resolve(String project, String name, Integer version) {
        return suites.findByName(project, name)
                .flatMap(s -> version == null ? versions.findLatest(s.id) : versions.findVersion(s.id, version));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<SuiteVersion> findVersion(UUID versionId) {
        return Optional.ofNullable(versions.findById(versionId));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Suite> findSuite(UUID suiteId) {
        return Optional.ofNullable(suites.findById(suiteId));
    }

    public List<Probe> probes(SuiteVersion v) {
        return v.probes;
    }

    /** One probe of a version (indexed once per version). */
    public Probe probe(SuiteVersion v, String probeId) {
        Map<String, Probe> index = probeIndex.computeIfAbsent(v.id, id -> {
            Map<String, Probe> m = new java.util.HashMap<>();
            probes(v).forEach(p -> m.put(p.id(), p));
            return m;
        });
        Probe p = index.get(probeId);
        if (p == null) {
            throw new IllegalStateException("probe " + probeId + " not in suite version " + v.id);
        }
        return p;
    }
}
