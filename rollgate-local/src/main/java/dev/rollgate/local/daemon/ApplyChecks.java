package dev.rollgate.local.daemon;

import dev.rollgate.local.ApiException;
import dev.rollgate.local.frontdoor.FrontDoorPlan;
import dev.rollgate.local.migrations.MigrationGate;
import dev.rollgate.spec.ConfigMap;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecParser;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code apply} and {@code diff} check on a document before anything changes: a valid spec, something
 * to run here, no clash of front-door routes, readable certificates and pages, migrations the gate takes,
 * no port change on a running service; then its images pinned to digests and its secrets and ConfigMaps to
 * versions. Any refusal is an {@link ApiException} that names the file and the field, and nothing was applied.
 */
final class ApplyChecks {

    /** A document past every check: its Rollouts pinned (images, then secrets and ConfigMaps), and its ConfigMaps. */
    record Checked(ImagePins.Pinned images, List<Rollout> rollouts, List<ConfigMap> configMaps, List<Sources.Change> configChanges,
                   Map<String, List<Object>> written) {}

    private ApplyChecks() {}

    /**
     * The document's Rollouts once everything apply refuses has been ruled out, their images pinned to digests
     * (last, so that a refused file costs no registry call); nothing is changed by the checks.
     */
    static Checked check(String document, String baseDir, String source, boolean requireDigest, Map<String, ServiceController> services,
                         Sources sources, Function<List<Rollout>, List<FrontDoorPlan.Service>> routesWith) throws SQLException {
        List<Rollout> rollouts;
        List<ConfigMap> configMaps;
        SpecParser.Documents documents;
        try {
            documents = SpecParser.read(document);
            rollouts = documents.rollouts();
            configMaps = documents.configMaps();
        } catch (InvalidSpecException e) {
            throw new ApiException(400, source + ": the spec is not valid; nothing was applied",
                    e.errors().stream().map(err -> source + ": " + err).toList());
        }
        if (!Path.of(baseDir).isAbsolute()) throw new ApiException(400, "baseDir must be an absolute path, got " + baseDir);
        List<String> nothingToRun = rollouts.stream()
                .filter(r -> r.spec().template().command().isEmpty() && r.spec().template().image() == null)
                .map(r -> source + ": " + r.name() + ": spec.template.command or spec.template.image: required on this platform (it runs"
                        + " a local process or a container; a podTemplate is what Kubernetes runs)").toList();
        if (!nothingToRun.isEmpty()) throw new ApiException(400, source + ": the spec is not valid; nothing was applied", nothingToRun);
        List<String> clashes = FrontDoorPlan.conflicts(routesWith.apply(rollouts));
        if (!clashes.isEmpty()) throw new ApiException(409, source + ": the front door routes clash; nothing was applied", clashes);
        for (Rollout r : rollouts) {
            List<String> unreadable = FrontDoorPlan.unreadable(r, Path.of(baseDir));
            if (!unreadable.isEmpty()) throw new ApiException(400, source + ": " + r.name() + ": nothing was applied", unreadable);
        }
        for (Rollout r : rollouts) {
            List<String> refused = MigrationGate.refusals(r.spec().database(), Path.of(baseDir));
            if (!refused.isEmpty()) {
                throw new ApiException(400, source + ": " + r.name() + ": the migrations are refused before anything runs; nothing was applied",
                        refused);
            }
        }
        for (Rollout r : rollouts) {
            ServiceController existing = services.get(r.name());
            if (existing == null) continue;
            var before = existing.rollout().spec().service();
            var after = r.spec().service();
            if ((before == null) != (after == null) || (before != null && before.port() != after.port())) {
                throw new ApiException(409, r.name() + ": spec.service.port cannot change on a running service ("
                        + (before == null ? "none" : before.port()) + " -> " + (after == null ? "none" : after.port())
                        + "); delete the service and apply it again");
            }
        }
        ImagePins.Pinned images = ImagePins.pin(rollouts, source, requireDigest);
        List<Sources.Change> changes = sources.changes(configMaps);
        List<Rollout> pinned = ValuePins.pin(images.rollouts(), source, sources.latest(configMaps), name -> {
            ServiceController c = services.get(name);
            return c == null ? null : c.lastAppliedTemplate();
        });
        return new Checked(images, pinned, configMaps, changes, documents.written());
    }
}
