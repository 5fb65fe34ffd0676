package dev.lookout.systemtests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The fixed system-test ports (CONTRACTS: local port + 10000). */
final class Ports {
    static final int GATEWAY = 18080;
    static final int INGEST = 18081;
    static final int PROBE_RUNNER = 18082;
    static final int REVIEW = 18083;
    /** A second probe-runner competing for the same work queue (FaultsIT and SlotTakeoverIT start and kill it). */
    static final int PROBE_RUNNER_2 = 18084;
    /** A second gateway with the production TLS settings (AttackEdgeIT starts and stops it). */
    static final int TLS_GATEWAY = 18085;
    static final int SIMULATOR = 18090;
    /** Loopback model servers the attack tests start themselves (on probe-runner's allowlist, like the simulator). */
    static final int HOSTILE_FIRST = 18091;
    static final int HOSTILE_LAST = 18093;
    /** On probe-runner's allowlist, but nothing ever listens there: a model server that is down (RoundDoorIT). */
    static final int NOTHING_LISTENS = 18094;
    /** The team's webhook receiver that WebhooksIT starts (on probe-runner's webhook allowlist). */
    static final int WEBHOOK_RECEIVER = 18095;
    static final int KEYCLOAK = 18180;

    private Ports() {
    }

    static boolean inUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
