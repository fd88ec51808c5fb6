package dev.rollgate.local.daemon;

import dev.rollgate.proxy.Ejection;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's watch on the data plane's ejections (replicas its proxies took out of routing for
 * failing requests in a row): each new one becomes a Warning event of its service. One call for
 * the whole host each {@link #PERIOD}, whatever the number of services.
 */
final class EjectionWatch {

    static final Duration PERIOD = Duration.ofSeconds(2);

    private final Daemon daemon;
    private final Map<String, Long> seen = new HashMap<>();
    private long dataPlanePid;

    private EjectionWatch(Daemon daemon) {
        this.daemon = daemon;
    }

    /** Until the daemon stops. */
    static void run(Daemon d) {
        EjectionWatch w = new EjectionWatch(d);
        while (!d.stopping()) {
            try {
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                w.check(d.dataPlane().pid(), d.dataPlane().ejections());
            } catch (IOException | RuntimeException e) {
                // the data plane is being restarted (its supervisor reports it): the next check catches up
            }
        }
    }

    /**
     * Reports what is new in {@code now}: ejections after the last one seen of each service, and
     * none from before this daemon started (an earlier daemon reported those). A new data plane
     * process counts its ejections from 1 again.
     */
    void check(long pid, Map<String, List<Ejection>> now) {
        if (pid != dataPlanePid) {
            dataPlanePid = pid;
            seen.clear();
        }
        now.forEach((service, list) -> {
            long last = seen.getOrDefault(service, 0L);
            ServiceController c = daemon.controllers().get(service);
            for (Ejection e : list) {
                if (e.sequence() <= last) continue;
                last = e.sequence();
                if (c != null && !e.at().isBefore(daemon.startedAt())) c.ejected(e);
            }
            seen.put(service, last);
        });
    }
}
