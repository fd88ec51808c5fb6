package dev.rollgate.local.daemon;

import dev.rollgate.local.ApiException;
import dev.rollgate.local.secrets.ValueStore;
import dev.rollgate.spec.KeyRef;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.Template;
import dev.rollgate.spec.ValueRef;
import dev.rollgate.spec.Volume;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The apply check for secrets and ConfigMaps: every one a template reads exists (with the key it
 * names), and its version is pinned into the revision, as an image's digest is. A file whose template
 * is unchanged is pinned as it was last applied, so the apply changes no template (re-applying after
 * an undo does not roll forward); a changed template takes the newest versions. A ConfigMap the same
 * apply changes reaches the services that read it as a new version of a source does
 * ({@link ServiceController#sourcesChanged}), whatever file they came from.
 */
final class ValuePins {

    /** The newest version of a source (as it will be once this apply's ConfigMaps are written), empty if none. */
    interface Latest {
        Optional<ValueStore.Version> of(ValueRef.Kind kind, String name) throws SQLException;
    }

    private ValuePins() {}

    /** {@code lastApplied}: each existing service's template as last applied, by name. */
    static List<Rollout> pin(List<Rollout> rollouts, String source, Latest latest, Function<String, Template> lastApplied) throws SQLException {
        List<String> problems = new ArrayList<>();
        List<Rollout> out = new ArrayList<>();
        for (Rollout r : rollouts) {
            Template t = r.spec().template();
            String where = source + ": " + r.name() + ": spec.template.";
            for (Map.Entry<String, KeyRef> e : t.valueFrom().entrySet()) {
                Optional<ValueStore.Version> v = latest.of(e.getValue().source().kind(), e.getValue().source().name());
                if (v.isEmpty()) problems.add(where + "env " + e.getKey() + ": " + missing(e.getValue().source()));
                else if (!v.get().sizes().containsKey(e.getValue().key())) {
                    problems.add(where + "env " + e.getKey() + ": " + e.getValue().source().kind().word() + " " + e.getValue().source().name()
                            + " has no key \"" + e.getValue().key() + "\"; its keys: " + v.get().sizes().keySet());
                }
            }
            for (Volume vol : t.volumes()) {
                if (latest.of(vol.source().kind(), vol.source().name()).isEmpty()) {
                    problems.add(where + "volumes " + vol.name() + ": " + missing(vol.source()));
                }
            }
            if (!problems.isEmpty() || t.sources().isEmpty()) {
                out.add(r);
                continue;
            }
            Template before = lastApplied.apply(r.name());
            Template pinned = before != null && unpinned(before).equals(unpinned(t)) ? before : t.withVersions(ref -> newest(latest, ref));
            out.add(new Rollout(r.metadata(), r.spec().withTemplate(pinned)));
        }
        if (!problems.isEmpty()) throw new ApiException(400, source + ": the secrets and ConfigMaps are refused; nothing was applied", problems);
        return out;
    }

    /** The template with the references {@code which} picks at the newest version of their source, the others as they are. */
    static Template newest(Template t, Latest latest, Predicate<ValueRef> which) {
        return t.withVersions(ref -> which.test(ref) ? newest(latest, ref) : ref.version());
    }

    private static int newest(Latest latest, ValueRef ref) {
        try {
            return latest.of(ref.kind(), ref.name()).map(ValueStore.Version::version).orElse(ref.version());
        } catch (SQLException e) {
            throw new ApiException(500, "the store cannot be read: " + e.getMessage());
        }
    }

    static Template unpinned(Template t) {
        return t.withVersions(ref -> 0);
    }


    private static String missing(ValueRef ref) {
        return ref.kind() == ValueRef.Kind.SECRET
                ? "no secret named " + ref.name() + "; create it first: rollgate secret create " + ref.name() + " --from-literal KEY=VALUE"
                : "no ConfigMap named " + ref.name() + "; add a ConfigMap document to the file, or: rollgate config create " + ref.name()
                        + " --from-literal KEY=VALUE";
    }
}
