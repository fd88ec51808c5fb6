package dev.rollgate.local.daemon;

import dev.rollgate.local.ApiException;
import dev.rollgate.local.secrets.SecretKey;
import dev.rollgate.local.secrets.ValueStore;
import dev.rollgate.spec.ConfigMap;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.Template;
import dev.rollgate.spec.ValueRef;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The daemon's secrets and ConfigMaps: written by {@code rollgate secret} / {@code config} and by
 * ConfigMap documents, pinned into revisions by {@link ValuePins}, and on a new version rolled out
 * to every service that reads it with {@code rolloutOnChange}. Views show names, versions, keys and
 * sizes; a ConfigMap's data; a secret's values never.
 */
public final class Sources {

    /** One secret or ConfigMap as {@code list} and {@code history} show it; {@code data} only for a ConfigMap. */
    record View(String kind, String name, int version, Instant created, Map<String, Integer> sizes, Map<String, String> data,
                List<String> usedBy) {}

    /** What applying a ConfigMap document would do, or did. */
    record Change(String kind, String name, String result, int version, List<String> changes) {}

    private final Daemon daemon;
    private final ValueStore store;

    Sources(Daemon daemon, ValueStore store) {
        this.daemon = daemon;
        this.store = store;
    }

    /** The newest versions as they will be once {@code pending} is written. */
    ValuePins.Latest latest(List<ConfigMap> pending) {
        return (kind, name) -> {
            if (kind == ValueRef.Kind.CONFIG_MAP) {
                for (ConfigMap c : pending) {
                    if (!c.name().equals(name)) continue;
                    Optional<ValueStore.Version> now = store.latest(kind, name);
                    if (now.isPresent() && data(now.get()).equals(c.data())) return now;
                    Map<String, Integer> sizes = new LinkedHashMap<>();
                    c.data().forEach((k, v) -> sizes.put(k, v.getBytes(StandardCharsets.UTF_8).length));
                    return Optional.of(new ValueStore.Version(kind, name, store.nextVersion(kind, name), Instant.now(), sizes));
                }
            }
            return store.latest(kind, name);
        };
    }

    /** What writing {@code pending} would change, key by key ({@code rollgate diff} and apply's answer). */
    List<Change> changes(List<ConfigMap> pending) throws SQLException {
        List<Change> out = new ArrayList<>();
        for (ConfigMap c : pending) {
            Optional<ValueStore.Version> now = store.latest(ValueRef.Kind.CONFIG_MAP, c.name());
            Map<String, String> before = now.isPresent() ? data(now.get()) : Map.of();
            List<String> lines = new ArrayList<>();
            for (String k : new TreeSet<>(union(before.keySet(), c.data().keySet()))) {
                String a = before.get(k);
                String b = c.data().get(k);
                if (a == null) lines.add("+ data." + k + ": " + b);
                else if (b == null) lines.add("- data." + k + ": " + a);
                else if (!a.equals(b)) lines.add("~ data." + k + ": " + a + " -> " + b);
            }
            String result = now.isEmpty() ? "created" : lines.isEmpty() ? "unchanged" : "configured";
            int version = now.isPresent() && lines.isEmpty() ? now.get().version() : store.nextVersion(ValueRef.Kind.CONFIG_MAP, c.name());
            out.add(new Change("configmap", c.name(), result, version, lines));
        }
        return out;
    }

    /** The sources {@code changes} gives a new version ({@code configMap/NAME}). */
    static Set<String> changed(List<Change> changes) {
        Set<String> out = new HashSet<>();
        changes.stream().filter(c -> !c.result().equals("unchanged")).forEach(c -> out.add(ValueRef.id(ValueRef.Kind.CONFIG_MAP, c.name())));
        return out;
    }

    /** Writes the ConfigMap documents of an apply. */
    void write(List<ConfigMap> pending) throws SQLException {
        for (ConfigMap c : pending) {
            try {
                ValueStore.Written w = store.put(ValueRef.Kind.CONFIG_MAP, c.name(), c.data(), false, true);
                if (!w.result().equals("unchanged")) daemon.event("Normal", "ConfigMapUpdated", "configmap/" + c.name(), "version " + w.version());
            } catch (SecretKey.KeyException e) {
                throw new IllegalStateException("a ConfigMap is not sealed: " + e.getMessage(), e);
            }
        }
    }

    /** {@code secret create|set}, {@code config create|set}: a new version, rolled out to the services that read it. */
    public ValueStore.Written put(ValueRef.Kind kind, String name, Map<String, String> data, boolean create) throws SQLException {
        ValueStore.Written w;
        try {
            w = store.put(kind, name, data, create, false);
        } catch (IllegalArgumentException e) {
            throw new ApiException(create ? 409 : 404, e.getMessage());
        } catch (SecretKey.KeyException e) {
            throw new ApiException(409, e.getMessage() + "; nothing was written");
        }
        if (!w.result().equals("unchanged")) {
            daemon.event("Normal", kind == ValueRef.Kind.SECRET ? "SecretUpdated" : "ConfigMapUpdated",
                    (kind == ValueRef.Kind.SECRET ? "secret/" : "configmap/") + name, "version " + w.version() + " (" + data.size() + " key(s))");
            daemon.sourcesChanged(Set.of(ValueRef.id(kind, name)));
            prune();
        }
        return w;
    }

    public List<View> list(ValueRef.Kind kind) throws SQLException {
        List<View> out = new ArrayList<>();
        for (ValueStore.Version v : store.list(kind)) out.add(view(v));
        return out;
    }

    public List<View> history(ValueRef.Kind kind, String name) throws SQLException {
        List<ValueStore.Version> all = store.history(kind, name);
        if (all.isEmpty()) throw new ApiException(404, "no " + kind.word() + " named " + name);
        List<View> out = new ArrayList<>();
        for (ValueStore.Version v : all) out.add(view(v));
        return out;
    }

    /** Refused while a service's current template reads it; the versions older revisions name stay until they go. */
    public void delete(ValueRef.Kind kind, String name) throws SQLException {
        if (store.latest(kind, name).isEmpty()) throw new ApiException(404, "no " + kind.word() + " named " + name);
        List<String> readers = new ArrayList<>();
        for (Rollout r : daemon.currentRollouts()) {
            if (r.spec().template().sources().stream().anyMatch(s -> s.kind() == kind && s.name().equals(name))) readers.add(r.name());
        }
        if (!readers.isEmpty()) {
            throw new ApiException(409, kind.word() + " " + name + " is read by service " + String.join(", ", readers)
                    + "; change their templates first, or their replicas could not start again");
        }
        store.delete(kind, name);
        daemon.event("Normal", kind == ValueRef.Kind.SECRET ? "SecretDeleted" : "ConfigMapDeleted",
                (kind == ValueRef.Kind.SECRET ? "secret/" : "configmap/") + name, "deleted");
        prune();
    }

    /** Drops the versions that neither a live name's newest nor any revision in a service's history names. */
    void prune() throws SQLException {
        Set<String> inUse = new HashSet<>();
        for (Template t : daemon.allTemplates()) t.sources().forEach(s -> inUse.add(s.id() + "/" + s.version()));
        store.prune(inUse);
    }

    private View view(ValueStore.Version v) throws SQLException {
        List<String> users = new ArrayList<>();
        for (Rollout r : daemon.currentRollouts()) {
            r.spec().template().sources().stream().filter(s -> s.kind() == v.kind() && s.name().equals(v.name()) && s.version() == v.version())
                    .findFirst().ifPresent(s -> users.add(r.name()));
        }
        return new View(v.kind().word(), v.name(), v.version(), v.created(), v.sizes(),
                v.kind() == ValueRef.Kind.CONFIG_MAP ? data(v) : null, users);
    }

    private Map<String, String> data(ValueStore.Version v) throws SQLException {
        try {
            return store.values(v.kind(), v.name(), v.version());
        } catch (SecretKey.KeyException e) {
            throw new IllegalStateException("a ConfigMap is not sealed: " + e.getMessage(), e);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
