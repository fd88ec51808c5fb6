package dev.rollgate.local.daemon;

import dev.rollgate.local.process.PortOwners;
import dev.rollgate.proxy.RoutingTable;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** The daemon's drift watch: what runs held against what was decided, until the daemon stops. */
final class DriftWatch {

    /** How often what runs is held against what was decided (two checks in a row confirm a finding). */
    static final Duration PERIOD = Duration.ofSeconds(10);

    private DriftWatch() {}

    /** Every {@link #PERIOD}: each service's data-plane table and replicas against what its controller decided. */
    static void run(Daemon d) {
        while (!d.stopping()) {
            try {
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Map<String, RoutingTable> live;
            try {
                live = d.dataPlane().tables();
            } catch (IOException | RuntimeException e) {
                live = null;   // the data plane's supervisor reports it; the replicas are still checked
            }
            PortOwners ports = PortOwners.now();
            for (ServiceController c : d.controllers().values()) {
                try {
                    c.checkDrift(live == null ? null : live.get(c.name()), live != null, ports);
                } catch (RuntimeException e) {
                    // a service deleted meanwhile: checked no more
                }
            }
        }
    }
}
