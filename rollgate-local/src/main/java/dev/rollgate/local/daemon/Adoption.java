package dev.rollgate.local.daemon;

import dev.rollgate.local.ApiException;
import dev.rollgate.local.dataplane.client.ServiceProxy;
import dev.rollgate.local.store.Store;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecJson;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;

/**
 * A starting daemon takes over what an earlier one left: every stored service gets its controller
 * and its proxy again, the replicas still running are re-adopted, the data plane stops serving what
 * was deleted meanwhile, and whatever no replica claims is stopped ({@link Orphans}).
 */
final class Adoption {

    private Adoption() {}

    /** Resumes every service of {@code d}'s store; each re-adoption waits mostly on the data plane, so they run side by side. */
    static void resume(Daemon d) throws SQLException {
        d.context().values().keyProblem().ifPresent(why -> {
            System.err.println("rollgate: warning: " + why);   // in daemon.log too: said at start, not only when a replica fails
            d.event("Warning", "SecretKeyUnusable", "daemon", why);
        });
        Set<String> adopted = ConcurrentHashMap.newKeySet();
        List<Callable<Void>> adoptions = new ArrayList<>();
        for (Store.ServiceRow row : d.store().services()) {
            Rollout r = SpecJson.rollout(row.spec());
            ServiceProxy proxy = null;
            try {
                proxy = d.openProxy(r, row.baseDir());
            } catch (ApiException e) {
                d.store().addEvent(row.name(), Instant.now(), "Warning", "ProxyFailed", row.name(), e.getMessage());
            }
            ServiceController c = new ServiceController(d.context(), row, proxy);
            d.controllers().put(row.name(), c);
            List<Store.ReplicaRow> replicas = d.store().replicas(row.name());
            Set<String> routed = d.dataPlane().routed(row.name());
            adoptions.add(() -> {
                c.start(replicas, adopted, routed);
                return null;
            });
        }
        // The services' replicas are re-adopted side by side: each adoption mostly waits (the data plane's answers),
        // and one after the other 300 replicas took about 9 s.
        try (var each = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var f : each.invokeAll(adoptions)) f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException x) throw x;
            if (e.getCause() instanceof RuntimeException x) throw x;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-adopting replicas", e);
        }
        for (String gone : d.dataPlane().served()) {
            if (!d.controllers().containsKey(gone)) d.dataPlane().drop(gone);   // deleted while no daemon ran, or a store from a backup
        }
        Set<String> claimed = new HashSet<>();
        for (Store.ServiceRow row : d.store().services()) {
            for (Store.ReplicaRow r : d.store().replicas(row.name())) claimed.add(r.id());
        }
        for (Orphans.Stopped o : Orphans.sweep(d.stateDir(), adopted, claimed)) d.event("Warning", o.reason(), o.object(), o.message());
        d.event("Normal", "DaemonStarted", "daemon", "pid " + ProcessHandle.current().pid() + ", " + d.controllers().size() + " service(s), "
                + adopted.size() + " replica(s) re-adopted");
    }
}
