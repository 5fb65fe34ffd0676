package dev.lookout.simulator;

/**
 * {@code java -jar simulator-runner.jar --port=8090 --latency-ms=20 ...} (or {@code -Dsim.port=8090 ...});
 * prints {@code simulator listening on http://127.0.0.1:<port>} once ready.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        SimulatorConfig config;
        try {
            if (args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
                System.out.print(SimulatorConfig.usage());
                return;
            }
            config = SimulatorConfig.fromArgs(args, System.getProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("simulator: " + e.getMessage());
            System.err.print(SimulatorConfig.usage());
            System.exit(2);
            return;
        }
        SimulatorServer server = SimulatorServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "simulator-shutdown"));
        System.out.println("simulator listening on " + server.baseUrl());
    }
}
