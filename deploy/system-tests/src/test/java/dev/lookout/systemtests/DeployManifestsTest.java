package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps deploy/compose and deploy/k8s in step with the services' own configuration: ports, upstream addresses,
 * and every setting a service has no production value for. Neither can be started here (no Docker, no cluster),
 * so drift is what can be caught: a renamed port, a new required secret, a manifest left out of kustomization.
 */
class DeployManifestsTest {

    private static final List<String> SERVICES = List.of("ingest-service", "probe-runner", "review-service", "gateway");
    private static final Pattern REQUIRED_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    private static final Pattern EMPTY_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Path root;
    private static JsonNode compose;
    private static Map<String, JsonNode> k8s;

    @BeforeAll
    static void read() throws IOException {
        root = repoRoot();
        compose = YAML.readTree(root.resolve("deploy/compose/docker-compose.yml").toFile());
        k8s = new HashMap<>();
        try (Stream<Path> files = Files.list(root.resolve("deploy/k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (JsonNode doc : readAll(file)) {
                    k8s.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(file.getFileName().toString()), doc);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "probe-runner", "review-service", "gateway"})
    void composeRunsEachServiceOnItsOwnPortWithEveryRequiredSetting(String service) throws IOException {
        Properties props = applicationProperties(service);
        JsonNode env = composeEnvironment(service);
        assertFalse(env.isMissingNode(), service + " missing from docker-compose.yml");
        assertEquals(props.getProperty("quarkus.http.port"), env.path("QUARKUS_HTTP_PORT").asText(), service + " port");
        assertFalse(compose.path("services").path(service).path("healthcheck").isMissingNode(), service + " healthcheck");
        for (String name : requiredFromEnvironment(props)) {
            assertTrue(env.has(name), "docker-compose.yml: " + service + " needs " + name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "probe-runner", "review-service", "gateway"})
    void kubernetesDeploymentMatchesTheServiceConfiguration(String service) throws IOException {
        Properties props = applicationProperties(service);
        JsonNode deployment = k8s.get("Deployment/" + service);
        assertNotNull(deployment, "deploy/k8s has no Deployment " + service);
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        int port = Integer.parseInt(props.getProperty("quarkus.http.port"));
        assertEquals(port, container.path("ports").get(0).path("containerPort").asInt(), service + " containerPort");
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());

        Set<String> provided = fieldNames(k8s.get("ConfigMap/lookout-config").path("data"));
        Set<String> secretKeys = fieldNames(k8s.get("Secret/lookout-secrets").path("stringData"));
        for (JsonNode var : container.path("env")) {
            provided.add(var.path("name").asText());
            JsonNode ref = var.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                assertTrue(secretKeys.contains(ref.path("key").asText()), "secret.yaml lacks " + ref.path("key").asText());
            }
        }
        assertTrue(provided.contains("QUARKUS_HTTP_PORT"));
        for (String name : requiredFromEnvironment(props)) {
            assertTrue(provided.contains(name), "deploy/k8s: " + service + " needs " + name);
        }

        JsonNode svc = k8s.get("Service/" + service);
        assertNotNull(svc, "deploy/k8s has no Service " + service);
        assertEquals(port, svc.path("spec").path("ports").get(0).path("port").asInt(), service + " Service port");
    }

    @Test
    void upstreamAddressesPointAtTheServicesPorts() throws IOException {
        JsonNode composeGateway = compose.path("services").path("gateway").path("environment");
        JsonNode config = k8s.get("ConfigMap/lookout-config").path("data");
        Map<String, String> upstream = Map.of("LOOKOUT_UPSTREAM_INGEST", "ingest-service",
                "LOOKOUT_UPSTREAM_PROBE_RUNNER", "probe-runner", "LOOKOUT_UPSTREAM_REVIEW", "review-service");
        for (Map.Entry<String, String> e : upstream.entrySet()) {
            String expected = "http://" + e.getValue() + ":" + applicationProperties(e.getValue()).getProperty("quarkus.http.port");
            assertEquals(expected, composeGateway.path(e.getKey()).asText(), "compose " + e.getKey());
            assertEquals(expected, config.path(e.getKey()).asText(), "k8s " + e.getKey());
        }
        String probeRunner = "http://probe-runner:" + applicationProperties("probe-runner").getProperty("quarkus.http.port");
        assertEquals(probeRunner, compose.path("services").path("review-service").path("environment")
                .path("QUARKUS_REST_CLIENT_PROBE_RUNNER_URL").asText());
        assertEquals(probeRunner, compose.path("services").path("ingest-service").path("environment")
                .path("QUARKUS_REST_CLIENT_PROBE_RUNNER_URL").asText(), "ingest-service checks runs with probe-runner");
        assertEquals(probeRunner, config.path("QUARKUS_REST_CLIENT_PROBE_RUNNER_URL").asText());
    }

    @Test
    void kustomizationListsEveryManifestAndEveryImage() throws IOException {
        JsonNode kustomization = YAML.readTree(root.resolve("deploy/k8s/kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files = new TreeSet<>();
        try (Stream<Path> all = Files.list(root.resolve("deploy/k8s"))) {
            all.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .forEach(files::add);
        }
        assertEquals(files, listed, "kustomization.yaml resources");
        Set<String> images = new TreeSet<>();
        kustomization.path("images").forEach(i -> images.add(i.path("name").asText()));
        Set<String> used = new TreeSet<>();
        for (String service : SERVICES) {
            used.add(k8s.get("Deployment/" + service).path("spec").path("template").path("spec").path("containers")
                    .get(0).path("image").asText());
        }
        assertEquals(used, images, "kustomization.yaml images");
    }

    @Test
    void composeMountsTheRealmAndTheGatewayPortIsARedirectTarget() throws IOException {
        String mount = compose.path("services").path("keycloak").path("volumes").get(0).asText();
        Path realm = root.resolve("deploy/compose").resolve(mount.substring(0, mount.indexOf(':'))).normalize();
        assertTrue(Files.isRegularFile(realm), "compose mounts a realm file that does not exist: " + realm);
        JsonNode realmJson = new ObjectMapper().readTree(realm.toFile());
        List<String> redirects = new ArrayList<>();
        realmJson.path("clients").forEach(c -> {
            if ("lookout-gateway".equals(c.path("clientId").asText())) {
                c.path("redirectUris").forEach(u -> redirects.add(u.asText()));
            }
        });
        String published = compose.path("services").path("gateway").path("ports").get(0).asText(); // 127.0.0.1:8080:8080
        String hostPort = published.substring(0, published.lastIndexOf(':'));
        assertTrue(redirects.stream().anyMatch(u -> u.startsWith("http://" + hostPort + "/")),
                "the realm's lookout-gateway client has no redirect URI for http://" + hostPort + " " + redirects);
        String issuer = compose.path("x-service-env").path("QUARKUS_OIDC_TOKEN_ISSUER").asText();
        assertEquals(compose.path("services").path("keycloak").path("environment").path("KC_HOSTNAME").asText()
                + "/realms/" + realmJson.path("realm").asText(), issuer, "token issuer = Keycloak's frontend URL");
    }

    /**
     * A compose service's environment with its YAML merge keys ({@code <<: [*db-env, *service-env]}) resolved: the
     * YAML reader hands an alias over as the anchor's name, so the anchored top-level blocks are looked up by name.
     */
    private static JsonNode composeEnvironment(String service) throws IOException {
        JsonNode env = compose.path("services").path(service).path("environment");
        if (env.isMissingNode() || !env.has("<<")) {
            return env;
        }
        Map<String, String> anchors = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^([A-Za-z0-9_-]+):\\s*&([A-Za-z0-9_-]+)")
                .matcher(Files.readString(root.resolve("deploy/compose/docker-compose.yml")));
        while (m.find()) {
            anchors.put(m.group(2), m.group(1));
        }
        com.fasterxml.jackson.databind.node.ObjectNode merged = YAML.createObjectNode();
        JsonNode refs = env.get("<<");
        for (JsonNode ref : refs.isArray() ? refs : YAML.createArrayNode().add(refs)) {
            String key = anchors.get(ref.asText());
            assertNotNull(key, "docker-compose.yml: no anchor &" + ref.asText());
            merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) compose.path(key));
        }
        env.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("<<")) {
                merged.set(f.getKey(), f.getValue());
            }
        });
        return merged;
    }

    /**
     * Environment variables a service needs in production: `${NAME}` placeholders without a default, and keys
     * that have a public value for the dev profile only (`%dev.key`) and no production value, or only an empty
     * `${NAME:}` one (the API-key encryption key, the OIDC client secrets).
     */
    static Set<String> requiredFromEnvironment(Properties props) {
        Set<String> names = new TreeSet<>();
        for (String key : props.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                Matcher m = REQUIRED_PLACEHOLDER.matcher(props.getProperty(key));
                while (m.find()) {
                    names.add(m.group(1));
                }
            } else if (key.startsWith("%dev.")) {
                String bare = key.substring("%dev.".length());
                String prod = props.getProperty(bare);
                if (prod == null) {
                    names.add(bare.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
                } else {
                    Matcher empty = EMPTY_DEFAULT.matcher(prod);
                    if (empty.matches()) {
                        names.add(empty.group(1));
                    }
                }
            }
        }
        return names;
    }

    @Test
    void requiredSettingsAreFoundInTheProperties() throws IOException {
        // the rule above must see what we know is required, or the two tests before prove nothing
        assertTrue(requiredFromEnvironment(applicationProperties("gateway")).contains("LOOKOUT_GATEWAY_CLIENT_SECRET"));
        assertTrue(requiredFromEnvironment(applicationProperties("probe-runner")).contains("LOOKOUT_SECRETS_KEY"));
        assertTrue(requiredFromEnvironment(applicationProperties("review-service")).contains("LOOKOUT_REVIEW_CLIENT_SECRET"));
    }

    private static Properties applicationProperties(String service) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(root.resolve(service).resolve("src/main/resources/application.properties"))) {
            props.load(in);
        }
        return props;
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> readAll(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull()) {
                    docs.add(d);
                }
            });
        }
        return docs;
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "repository root not found above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
