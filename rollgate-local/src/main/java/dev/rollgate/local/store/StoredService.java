package dev.rollgate.local.store;

import dev.rollgate.controller.RolloutEvent;
import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.controller.StateStore;
import dev.rollgate.json.Json;
import dev.rollgate.local.daemon.Webhooks;
import dev.rollgate.local.store.Store;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.SpecJson;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service's row of the SQLite store as the controller's {@link StateStore}: the spec, its
 * generation, the status, and the events (the service's own ones also go to its webhooks). The
 * copy in memory changes only after the store took the write, so a refused write is not carried
 * out later by the next pass.
 */
public final class StoredService implements StateStore, AutoCloseable {

    private final Store store;
    private final String name;
    private final Webhooks webhooks = new Webhooks();
    private volatile Store.ServiceRow row;
    private volatile Rollout rollout;
    private volatile RolloutStatus status;

    public StoredService(Store store, Store.ServiceRow row) {
        this.store = store;
        this.name = row.name();
        this.row = row;
        this.rollout = SpecJson.rollout(row.spec());
        this.status = row.status().isEmpty() ? RolloutStatus.NONE : Json.read(row.status(), RolloutStatus.class);
    }

    public Rollout rollout() {
        return rollout;
    }

    public RolloutStatus status() {
        return status;
    }

    public long generation() {
        return row.generation();
    }

    public String baseDir() {
        return row.baseDir();
    }

    /** The spec as last applied from a file, for the three-way merge of the next apply. */
    public Rollout lastApplied() {
        return SpecJson.rollout(row.applied());
    }

    @Override
    public Stored load() {
        return new Stored(rollout.spec(), row.generation(), status);
    }

    @Override
    public synchronized void save(Stored next, List<RolloutEvent> events) {
        try {
            if (next.generation() != row.generation() || !next.spec().equals(rollout.spec())) {
                Rollout r = new Rollout(rollout.metadata(), next.spec());
                Store.ServiceRow written = new Store.ServiceRow(name, next.generation(), SpecJson.write(r), row.applied(), row.baseDir(),
                        Json.write(next.status()));
                store.putService(written);
                row = written;
                rollout = r;
            } else if (!next.status().equals(status)) {
                store.putStatus(name, Json.write(next.status()));
            }
            status = next.status();
        } catch (SQLException e) {
            throw new IllegalStateException("state store: " + e.getMessage(), e);
        }
        for (RolloutEvent e : events) event(e.type(), e.reason(), e.object(), e.message(), Instant.now());
    }

    /** A new spec from {@code apply} with the file it came from and its directory. */
    public synchronized void applied(Rollout next, Rollout fromFile, String baseDir, RolloutStatus nextStatus) throws SQLException {
        Store.ServiceRow written = new Store.ServiceRow(name, row.generation() + 1, SpecJson.write(next), SpecJson.write(fromFile), baseDir,
                Json.write(nextStatus));
        store.putService(written);
        row = written;
        rollout = next;
        status = nextStatus;
    }

    /** Records an event; the service's own ones also go to its webhooks. */
    public void event(String type, String reason, String object, String message, Instant at) {
        if (object.equals(name)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("revision", status.revision());
            if (status.version() != null) details.put("version", status.version());
            webhooks.send(rollout.spec().webhooks(), name, reason, type, message, details,
                    (url, why) -> event("Warning", "WebhookFailed", name, "POST " + url + " failed: " + why, Instant.now()));
        }
        try {
            store.addEvent(name, at, type, reason, object, message);
        } catch (SQLException e) {
            System.err.println("rollgate: cannot record event " + reason + " of " + object + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        webhooks.close();
    }

    /** The spec as it stands now. */
    public RolloutSpec spec() {
        return rollout.spec();
    }
}
