package dev.rollgate.local.daemon;

import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.json.Json;
import dev.rollgate.local.ApiException;
import dev.rollgate.local.dataplane.client.ServiceProxy;
import dev.rollgate.local.frontdoor.FrontDoorPlan;
import dev.rollgate.local.store.Store;
import dev.rollgate.plan.ApplyPreview;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecJson;
import dev.rollgate.spec.Template;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What {@code apply}, {@code diff} and {@code export} do with the daemon's services: a document past
 * {@link ApplyChecks} creates or configures them and writes its ConfigMaps; a dry run says what that would
 * change. The {@link Daemon} calls it under its lock.
 */
public final class Applier {

    private final Daemon d;

    Applier(Daemon daemon) {
        this.d = daemon;
    }

    /** What {@code apply} did to one service or ConfigMap ({@code kind}: service, configmap): created, configured or unchanged. */
    public record Applied(String kind, String name, String result) {}

    /** {@code requireDigest}: refuse an image named by a tag only ({@code apply --require-digest}). */
    List<Applied> apply(String document, String baseDir, String source, boolean requireDigest) throws SQLException {
        ApplyChecks.Checked checked = checked(document, baseDir, source, requireDigest);
        List<Rollout> rollouts = checked.rollouts();
        d.sources().write(checked.configMaps());
        List<Applied> out = new ArrayList<>();
        for (Sources.Change c : checked.configChanges()) out.add(new Applied(c.kind(), c.name(), c.result()));
        for (ImagePins.Resolution r : checked.images().resolutions()) {
            d.event(r.service(), "Normal", "ImageResolved", r.service(), "image " + r.tag() + " is " + r.pinned()
                    + "; the revision runs that digest, wherever the tag moves");
        }
        for (Rollout r : rollouts) {
            String written = Json.write(checked.written().get(r.name()));
            if (!d.store().documents(r.name()).map(written::equals).orElse(false)) d.store().putDocuments(r.name(), written);
            ServiceController existing = d.controllers().get(r.name());
            if (existing == null) {
                ServiceProxy proxy = d.openProxy(r, baseDir);
                Store.ServiceRow row = new Store.ServiceRow(r.name(), 1, SpecJson.write(r), SpecJson.write(r), baseDir,
                        Json.write(RolloutStatus.NONE));
                d.store().putService(row);
                d.event(r.name(), "Normal", "Applied", r.name(), "created from " + source);
                ServiceController c = new ServiceController(d.context(), row, proxy);
                d.controllers().put(r.name(), c);
                c.start(List.of(), new HashSet<>(), Set.of());
                out.add(new Applied("service", r.name(), "created"));
                continue;
            }
            var after = r.spec().service();
            out.add(new Applied("service", r.name(), existing.apply(r, baseDir) ? "configured" : "unchanged"));
            if (existing.proxy() != null && after != null) {
                existing.proxy().timeouts(after);
                existing.proxy().limits(FrontDoorPlan.limits(after, Path.of(baseDir)));
            }
        }
        d.publishFrontDoor();
        Set<String> changed = Sources.changed(checked.configChanges());
        if (!changed.isEmpty()) sourcesChanged(changed);   // every service that reads them, this file's included
        d.sources().prune();
        return out;
    }

    /** A dry run's answer: the services' previews and the ConfigMaps' changes. */
    public record Preview(List<ApplyPreview> services, List<Sources.Change> configMaps) {}

    /** What {@link #apply} would do with {@code document}, after the same checks, changing nothing ({@code rollgate diff}). */
    Preview preview(String document, String baseDir, String source, boolean requireDigest) throws SQLException {
        List<ApplyPreview> out = new ArrayList<>();
        ApplyChecks.Checked checked = checked(document, baseDir, source, requireDigest);
        Set<String> changed = Sources.changed(checked.configChanges());
        var latest = d.sources().latest(checked.configMaps());
        // What the apply does, then the new versions of the ConfigMaps it changes reaching every service that reads them.
        UnaryOperator<Template> newer = t -> t.sources().stream().anyMatch(v -> v.rolloutOnChange() && changed.contains(v.id()))
                ? ValuePins.newest(t, latest, ref -> ref.rolloutOnChange() && changed.contains(ref.id())) : t;
        for (Rollout r : checked.rollouts()) {
            ServiceController existing = d.controllers().get(r.name());
            out.add(existing == null ? ApplyPreview.of(r.name(), null, r.spec(), List.of()) : existing.preview(r, baseDir, newer));
        }
        for (ServiceController c : d.controllers().values()) {
            if (checked.rollouts().stream().anyMatch(r -> r.name().equals(c.name()))) continue;
            Template t = c.rollout().spec().template();
            if (newer.apply(t).equals(t)) continue;
            out.add(c.preview(c.rollout(), c.baseDir(), newer));
        }
        return new Preview(out, checked.configChanges());
    }

    /** The services whose current template reads a source in {@code changed} roll out its newest version. */
    void sourcesChanged(Set<String> changed) throws SQLException {
        var latest = d.sources().latest(List.of());
        for (ServiceController c : d.controllers().values()) c.sourcesChanged(changed, latest);
    }

    /** {@code rollgate export [NAME]}: every service (or one) as documents apply takes. */
    List<Exports.Export> export(String name) throws SQLException {
        List<Exports.Export> out = new ArrayList<>();
        for (ServiceController c : name == null ? d.controllers().values().stream().sorted(Comparator.comparing(ServiceController::name)).toList()
                : List.of(d.service(name))) {
            out.add(Exports.of(c.rollout(), c.baseDir(), d.store().documents(c.name()).orElse(null), d.context().values()));
        }
        return out;
    }

    private ApplyChecks.Checked checked(String document, String baseDir, String source, boolean requireDigest) throws SQLException {
        if (d.stopping()) throw new ApiException(503, "the daemon is stopping");
        return ApplyChecks.check(document, baseDir, source, requireDigest, d.controllers(), d.sources(), rollouts -> d.routesWith(rollouts, baseDir));
    }
}
