package dev.rollgate.local.dataplane.client;

import dev.rollgate.local.dataplane.DataPlaneProtocol;
import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.dataplane.client.DataPlaneClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Watches the data plane process for its client: restarts one that died and gives it back every
 * service; says so when one that lives stops answering (a process stopped with SIGSTOP keeps its
 * ports and serves nothing), and when it answers again.
 */
final class DataPlaneSupervisor {

    /** How often the supervisor looks for the process: a check of /proc, cheap enough to do often. */
    private static final Duration WATCH = Duration.ofMillis(100);
    /** How often, and how long, the supervisor asks the data plane whether it answers. */
    private static final Duration PING = Duration.ofSeconds(1);
    /** Unanswered for this long (stopped with SIGSTOP, or starved), the data plane is said to be unresponsive. */
    static final Duration UNRESPONSIVE_AFTER = Duration.ofSeconds(3);

    private final DataPlaneClient client;
    private volatile Instant unansweredSince;
    private boolean saidUnresponsive;

    DataPlaneSupervisor(DataPlaneClient client) {
        this.client = client;
    }

    /** Since when the data plane has not answered the pings, if it does not now. */
    Optional<Instant> unansweredSince() {
        return Optional.ofNullable(unansweredSince);
    }

    /** Watches until the client is closed or this thread interrupted. */
    void run() {
        long nextPing = System.nanoTime();
        while (!client.closed()) {
            try {
                Thread.sleep(WATCH.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (client.closed()) return;
            if (alive(client.pid())) {
                if (System.nanoTime() - nextPing >= 0) {
                    nextPing = System.nanoTime() + PING.toNanos();
                    ping();
                }
                continue;
            }
            unansweredSince = null;
            saidUnresponsive = false;
            long dead = client.pid();
            try {
                client.restart();
            } catch (IOException | ProxyHandle.ProxyException e) {
                client.failed(new IOException("restarting the data plane after pid " + dead + " died: " + e.getMessage()));
            }
        }
    }

    private void ping() {
        long pid = client.pid();
        boolean answered = client.answers(PING);
        if (!answered && Thread.currentThread().isInterrupted()) return; // the daemon is stopping
        if (answered) {
            if (saidUnresponsive) client.events().event("Normal", "DataPlaneResponsive", "the data plane (pid " + pid + ") answers again");
            unansweredSince = null;
            saidUnresponsive = false;
            return;
        }
        Instant now = Instant.now();
        if (unansweredSince == null) unansweredSince = now;
        if (!saidUnresponsive && Duration.between(unansweredSince, now).compareTo(UNRESPONSIVE_AFTER) >= 0) {
            saidUnresponsive = true;
            client.events().event("Warning", "DataPlaneUnresponsive", "the data plane (pid " + pid + ") has not answered for "
                    + Duration.between(unansweredSince, now).toSeconds() + " s; its ports are open but may serve nothing"
                    + " (stopped? kill -CONT " + pid + "; starved? see " + DataPlaneProtocol.logFile(client.stateDir()) + ")");
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
