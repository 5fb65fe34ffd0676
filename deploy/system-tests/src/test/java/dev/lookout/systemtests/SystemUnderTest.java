package dev.lookout.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole system as packaged jars, started once per JVM: Keycloak (18180, realm imported afresh), the simulator
 * (18090), ingest-service (18081), probe-runner (18082), review-service (18083) and gateway (18080), against the
 * real PostgreSQL (database lookout_it, schemas cleaned at start) and RabbitMQ (vhost lookout-it, recreated empty).
 * Logs go to target/system-logs/. Stopped when the test engine finishes (root store) or the JVM exits (hook).
 */
public final class SystemUnderTest implements AutoCloseable {

    public static final String KEYCLOAK_URL = "http://127.0.0.1:" + Ports.KEYCLOAK;
    public static final String REALM_URL = KEYCLOAK_URL + "/realms/lookout";
    public static final String GATEWAY_URL = "http://127.0.0.1:" + Ports.GATEWAY;
    public static final String SIMULATOR_URL = "http://127.0.0.1:" + Ports.SIMULATOR;
    /** probe-runner's allowlist: the simulator, the attack tests' own listeners and a port where nothing listens. */
    static final String ALLOWED_MODEL_SERVERS = "127.0.0.1:" + Ports.SIMULATOR + ",localhost:" + Ports.SIMULATOR
            + ",127.0.0.1:" + Ports.HOSTILE_FIRST + "-" + Ports.HOSTILE_LAST + ",127.0.0.1:" + Ports.NOTHING_LISTENS;
    static final String DATABASE = "lookout_it";
    static final String VHOST = "lookout-it";
    static final String GATEWAY_SECRET = "lookout-gateway-local-secret";
    static final String REVIEW_SECRET = "review-service-local-secret";
    /** Keycloak's bootstrap admin (master realm) of the test Keycloak only. */
    static final String KEYCLOAK_ADMIN = "it-admin";
    static final String KEYCLOAK_ADMIN_PASSWORD = "it-admin-" + java.util.UUID.randomUUID();
    /** The broker's guest account: the services have no default RabbitMQ password outside dev/test. */
    static final String RABBITMQ_PASSWORD = "guest";
    static final String SECRETS_KEY = Base64.getEncoder()
            .encodeToString("lookout-system-tests-secrets-key".getBytes(StandardCharsets.US_ASCII));

    /** application_name of probe-runner's PostgreSQL sessions (a second instance adds "-" and its port). */
    static final String PROBE_RUNNER_DB_APPLICATION = "lookout-it-probe-runner";
    static final String APPLICATION_NAME_PROPERTY = "quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName";
    /** Keeps the database of the running system: a restarted or extra instance must not clean it. */
    private static final Map<String, String> KEEP_DATABASE = Map.of("quarkus.flyway.clean-at-start", "false");

    private static SystemUnderTest instance;
    private static RuntimeException startFailure;

    final Path repoRoot;
    final Path moduleDir;
    final Path logDir;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private volatile boolean closed;

    private SystemUnderTest(Path repoRoot, Path moduleDir) {
        this.repoRoot = repoRoot;
        this.moduleDir = moduleDir;
        this.logDir = moduleDir.resolve("target/system-logs");
    }

    /** Starts the system on first use; later calls return the running one. */
    public static synchronized SystemUnderTest get() {
        if (startFailure != null) {
            throw new IllegalStateException("the system under test failed to start (see the first failure)", startFailure);
        }
        if (instance == null) {
            SystemUnderTest system = new SystemUnderTest(repoRoot(), Path.of("").toAbsolutePath());
            Runtime.getRuntime().addShutdownHook(new Thread(system::close, "system-under-test-stop"));
            try {
                system.start();
            } catch (RuntimeException e) {
                system.close();
                startFailure = e;
                throw e;
            }
            instance = system;
        }
        return instance;
    }

    public Path repoFile(String relative) {
        return repoRoot.resolve(relative);
    }

    /** A process of the system by name (gateway, ingest-service, …), for tests that stop and restart it. */
    ManagedProcess process(String name) {
        synchronized (processes) {
            return processes.stream().filter(p -> p.name.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no process named " + name));
        }
    }

    public Path targetDir() {
        return moduleDir.resolve("target");
    }

    private void start() {
        long t0 = System.nanoTime();
        Leftovers.init(logDir.resolve("pids"));
        Path keycloakHome = Path.of(System.getProperty("keycloak.home",
                moduleDir.resolve("target/keycloak/keycloak-26.5.6").toString()));
        if (!Files.isExecutable(keycloakHome.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak at " + keycloakHome
                    + " — run through Maven (`./mvnw -B -ntp -pl deploy/system-tests verify`): it unpacks it there");
        }
        Map<String, Path> jars = Map.of(
                "simulator", repoRoot.resolve("deploy/simulator/target/simulator-0.1.0-SNAPSHOT-runner.jar"),
                "ingest-service", repoRoot.resolve("ingest-service/target/quarkus-app/quarkus-run.jar"),
                "probe-runner", repoRoot.resolve("probe-runner/target/quarkus-app/quarkus-run.jar"),
                "review-service", repoRoot.resolve("review-service/target/quarkus-app/quarkus-run.jar"),
                "gateway", repoRoot.resolve("gateway/target/quarkus-app/quarkus-run.jar"));
        jars.forEach((name, jar) -> {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(name + " is not packaged (" + jar + " missing): run "
                        + "`./mvnw -B -ntp -DskipTests -DskipITs install` (or the full `./mvnw -B -ntp verify`) first");
            }
        });

        ManagedProcess keycloak = keycloak(keycloakHome);
        keycloak.start();
        ManagedProcess simulator = simulator(jars.get("simulator"));
        simulator.start();
        ensureDatabase();
        recreateVhost();
        simulator.awaitReady(Duration.ofSeconds(60));
        Duration keycloakTook = keycloak.awaitReady(Duration.ofSeconds(300));

        List<ManagedProcess> services = List.of(
                // a stalled upload is cut after 5 s instead of 30 s (AttackIngestIT)
                service("ingest-service", Ports.INGEST, jars.get("ingest-service"), Map.of(
                        "lookout.ingest.body-idle-timeout", "5s",
                        "quarkus.rest-client.probe-runner.url", "http://127.0.0.1:" + Ports.PROBE_RUNNER)),
                service("probe-runner", Ports.PROBE_RUNNER, jars.get("probe-runner"), Map.of(
                        "lookout.endpoints.allowed-hosts", ALLOWED_MODEL_SERVERS,
                        // webhooks: WebhooksIT's receiver (plain http on loopback, test only), links to the gateway
                        "lookout.webhooks.allowed-hosts", "127.0.0.1:" + Ports.WEBHOOK_RECEIVER,
                        "lookout.webhooks.allow-http", "true",
                        "lookout.webhooks.public-url", GATEWAY_URL,
                        // names its database sessions, so a fault test can end exactly these (FaultsIT)
                        APPLICATION_NAME_PROPERTY, PROBE_RUNNER_DB_APPLICATION)),
                service("review-service", Ports.REVIEW, jars.get("review-service"), Map.of(
                        "quarkus.rest-client.probe-runner.url", "http://127.0.0.1:" + Ports.PROBE_RUNNER,
                        "quarkus.oidc-client.auth-server-url", REALM_URL)),
                service("gateway", Ports.GATEWAY, jars.get("gateway"), Map.of(
                        "lookout.upstream.ingest", "http://127.0.0.1:" + Ports.INGEST,
                        "lookout.upstream.probe-runner", "http://127.0.0.1:" + Ports.PROBE_RUNNER,
                        "lookout.upstream.review", "http://127.0.0.1:" + Ports.REVIEW)));
        services.forEach(ManagedProcess::start);
        // await in parallel so a failing one reports at once
        CompletableFuture<?>[] ready = services.stream()
                .map(p -> CompletableFuture.runAsync(() -> p.awaitReady(Duration.ofSeconds(240))))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(ready).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        System.out.printf("[system] everything ready after %.1f s (Keycloak %.1f s); logs in %s%n",
                (System.nanoTime() - t0) / 1e9, keycloakTook.toMillis() / 1000.0, logDir);
    }

    private ManagedProcess keycloak(Path home) {
        deleteRecursively(home.resolve("data/h2")); // --import-realm skips a realm that exists (STACK pitfall 4)
        try {
            Files.createDirectories(home.resolve("data/import"));
            Files.writeString(home.resolve("data/import/lookout-realm.json"),
                    withTestClients(Files.readString(repoRoot.resolve("deploy/keycloak/lookout-realm.json"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return track(new ManagedProcess("keycloak", Ports.KEYCLOAK, REALM_URL + "/.well-known/openid-configuration",
                logDir.resolve("keycloak.log"), home,
                List.of(home.resolve("bin/kc.sh").toString(), "start-dev", "--http-port=" + Ports.KEYCLOAK,
                        "--http-host=127.0.0.1", "--import-realm"),
                Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", KEYCLOAK_ADMIN,
                        "KC_BOOTSTRAP_ADMIN_PASSWORD", KEYCLOAK_ADMIN_PASSWORD)));
    }

    /** Client id of a test-only copy of lookout-dev-cli whose access tokens live one second (expired-token tests). */
    public static final String SHORT_LIVED_CLIENT = "lookout-it-short-lived";
    /** Client id of a test-only copy of lookout-dev-cli without the {@code lookout} audience (foreign-token tests). */
    public static final String NO_AUDIENCE_CLIENT = "lookout-it-no-audience";

    /** The realm as imported for the system tests: the repository's realm plus both test-only clients. */
    static String withTestClients(String realmJson) {
        return withoutAudienceClient(withShortLivedClient(realmJson));
    }

    /**
     * The realm plus {@link #NO_AUDIENCE_CLIENT}: lookout-dev-cli (password grant, groups) without its audience
     * mapper, so its tokens are correctly signed, carry the caller's roles and groups, and are minted for another
     * audience than Lookout's.
     */
    static String withoutAudienceClient(String realmJson) {
        return withDevCliCopy(realmJson, NO_AUDIENCE_CLIENT, "system tests only: tokens without the lookout audience",
                (realm, copy) -> {
                    com.fasterxml.jackson.databind.node.ArrayNode mappers = copy.putArray("protocolMappers");
                    client(realm, "lookout-dev-cli").path("protocolMappers").forEach(m -> {
                        if (!"oidc-audience-mapper".equals(m.path("protocolMapper").asText())) {
                            mappers.add(m.deepCopy());
                        }
                    });
                });
    }

    /** The realm plus a copy of lookout-dev-cli named {@code clientId}, changed by {@code adjust}. */
    private static String withDevCliCopy(String realmJson, String clientId, String name,
            java.util.function.BiConsumer<com.fasterxml.jackson.databind.JsonNode,
                    com.fasterxml.jackson.databind.node.ObjectNode> adjust) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode realm =
                    (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(realmJson);
            com.fasterxml.jackson.databind.node.ObjectNode copy = client(realm, "lookout-dev-cli").deepCopy();
            copy.remove("id");
            copy.put("clientId", clientId);
            copy.put("name", name);
            adjust.accept(realm, copy);
            ((com.fasterxml.jackson.databind.node.ArrayNode) realm.get("clients")).add(copy);
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(realm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode client(com.fasterxml.jackson.databind.JsonNode realm, String clientId) {
        for (com.fasterxml.jackson.databind.JsonNode client : realm.path("clients")) {
            if (clientId.equals(client.path("clientId").asText())) {
                return client;
            }
        }
        throw new IllegalStateException("the realm has no client " + clientId);
    }

    /**
     * The realm as imported for the system tests: the repository's realm plus {@link #SHORT_LIVED_CLIENT}, a copy of
     * lookout-dev-cli (password grant, groups mapper) with {@code access.token.lifespan=1}, so a test can hold a real,
     * correctly signed token that has expired. The repository's realm file is not changed.
     */
    static String withShortLivedClient(String realmJson) {
        return withDevCliCopy(realmJson, SHORT_LIVED_CLIENT, "system tests only: access tokens live 1 s",
                (realm, copy) -> copy.putObject("attributes").put("access.token.lifespan", "1"));
    }

    private ManagedProcess simulator(Path jar) {
        return simulator("simulator", Ports.SIMULATOR, jar, List.of());
    }

    private ManagedProcess simulator(String name, int port, Path jar, List<String> options) {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("-jar", jar.toString(), "--port=" + port));
        command.addAll(options);
        return track(new ManagedProcess(name, port, "http://127.0.0.1:" + port + "/v1/models",
                logDir.resolve(name + ".log"), moduleDir, command, Map.of()));
    }

    /**
     * Starts (and tracks, so it is stopped with the system) one more model simulator on {@code port}, a port on
     * probe-runner's allowlist, with extra command-line {@code options} (e.g. {@code --latency-ms=1000}). Waits until
     * it is ready.
     */
    ManagedProcess startExtraSimulator(String name, int port, List<String> options) {
        ManagedProcess simulator = simulator(name, port,
                repoRoot.resolve("deploy/simulator/target/simulator-0.1.0-SNAPSHOT-runner.jar"), options);
        simulator.start();
        simulator.awaitReady(Duration.ofSeconds(60));
        return simulator;
    }

    private ManagedProcess service(String name, int port, Path jar, Map<String, String> extra) {
        return service(name, port, jar, extra, Map.of());
    }

    /**
     * Starts (and tracks, so it is stopped with the system) one more gateway on {@code port}, pointed at the running
     * backends and Keycloak, with extra system properties and environment; waits until it is ready.
     */
    ManagedProcess startExtraGateway(String name, int port, Map<String, String> properties, Map<String, String> env) {
        Map<String, String> props = new java.util.HashMap<>(Map.of(
                "lookout.upstream.ingest", "http://127.0.0.1:" + Ports.INGEST,
                "lookout.upstream.probe-runner", "http://127.0.0.1:" + Ports.PROBE_RUNNER,
                "lookout.upstream.review", "http://127.0.0.1:" + Ports.REVIEW));
        props.putAll(properties);
        ManagedProcess gateway = service(name, port, repoRoot.resolve("gateway/target/quarkus-app/quarkus-run.jar"),
                props, env);
        gateway.start();
        gateway.awaitReady(Duration.ofSeconds(120));
        return gateway;
    }

    /**
     * Starts a service again after {@link ManagedProcess#kill9()} or a stop, with its database kept (no Flyway clean)
     * and {@code -Dkey=value} overrides (null value: back to the default); waits until ready and returns how long.
     */
    Duration restartService(String name, Map<String, String> properties) {
        Map<String, String> props = new java.util.HashMap<>(properties);
        props.putAll(KEEP_DATABASE);
        Duration took = process(name).restart(props, Duration.ofSeconds(180));
        System.out.printf("[system] %s restarted, ready after %.1f s%n", name, took.toMillis() / 1000.0);
        return took;
    }

    /**
     * Starts (and tracks, so it is stopped with the system) one more probe-runner on {@code port}, on the same database
     * (not cleaned), broker vhost and allowlist: a competing consumer of the same work queue. Its database sessions
     * are named {@link #PROBE_RUNNER_DB_APPLICATION}-{@code port}. Waits until it is ready.
     */
    ManagedProcess startExtraProbeRunner(String name, int port, Map<String, String> properties) {
        Map<String, String> props = new java.util.HashMap<>(Map.of(
                "lookout.endpoints.allowed-hosts", ALLOWED_MODEL_SERVERS,
                APPLICATION_NAME_PROPERTY, PROBE_RUNNER_DB_APPLICATION + "-" + port));
        props.putAll(properties);
        ManagedProcess runner = service(name, port, repoRoot.resolve("probe-runner/target/quarkus-app/quarkus-run.jar"),
                props, Map.of());
        runner.setProperties(KEEP_DATABASE);
        runner.start();
        runner.awaitReady(Duration.ofSeconds(180));
        return runner;
    }

    private ManagedProcess service(String name, int port, Path jar, Map<String, String> extra, Map<String, String> extraEnv) {
        List<String> command = new ArrayList<>(javaCommand());
        command.add("-Dquarkus.http.port=" + port);
        if (!name.equals("gateway")) { // the gateway has no database
            command.add("-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
            command.add("-Dquarkus.flyway.clean-at-start=true");
            command.add("-Dquarkus.flyway.clean-disabled=false");
        }
        command.add("-Dquarkus.oidc.auth-server-url=" + REALM_URL);
        command.add("-Drabbitmq-virtual-host=" + VHOST);
        extra.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "LOOKOUT_GATEWAY_CLIENT_SECRET", GATEWAY_SECRET,
                "LOOKOUT_REVIEW_CLIENT_SECRET", REVIEW_SECRET,
                "LOOKOUT_SECRETS_KEY", SECRETS_KEY,
                "RABBITMQ_PASSWORD", RABBITMQ_PASSWORD));
        env.putAll(extraEnv);
        return track(new ManagedProcess(name, port, "http://127.0.0.1:" + port + "/q/health/ready",
                logDir.resolve(name + ".log"), moduleDir, command, env));
    }

    private static List<String> javaCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }

    private ManagedProcess track(ManagedProcess process) {
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    /** Creates database lookout_it when missing (CI machines may only have postgres). */
    static void ensureDatabase() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = c.createStatement()) {
                        create.execute("create database " + DATABASE);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 (user postgres, trust) is needed: " + e.getMessage(), e);
        }
    }

    /** An empty vhost per run: no queue keeps messages of an earlier run. */
    static void recreateVhost() {
        Shell.rabbitmqctl(true, "delete_vhost", VHOST);
        Shell.rabbitmqctl(false, "add_vhost", VHOST);
        Shell.rabbitmqctl(false, "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ManagedProcess> reversed;
        synchronized (processes) {
            reversed = new ArrayList<>(processes);
        }
        java.util.Collections.reverse(reversed);
        // services first (they hold connections to Keycloak and the broker), in parallel, Keycloak last
        List<CompletableFuture<Void>> stops = reversed.stream().filter(p -> !p.name.equals("keycloak"))
                .map(p -> CompletableFuture.runAsync(p::stop)).toList();
        stops.forEach(f -> {
            try {
                f.get(40, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("[system] stop: " + e);
            }
        });
        reversed.stream().filter(p -> p.name.equals("keycloak")).forEach(ManagedProcess::stop);
        System.out.println("[system] stopped; logs in " + logDir);
    }

    private static Path repoRoot() {
        String property = System.getProperty("lookout.repo.root");
        if (property != null && Files.isRegularFile(Path.of(property, "deploy/keycloak/lookout-realm.json"))) {
            return Path.of(property);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/keycloak/lookout-realm.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (no deploy/keycloak/lookout-realm.json above "
                + Path.of("").toAbsolutePath() + ")");
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
