package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.controller.Verb;
import dev.rollgate.controller.VerbResult;
import dev.rollgate.json.Json;
import dev.rollgate.kubernetes.ClusterApply;
import dev.rollgate.kubernetes.ClusterRollouts;
import dev.rollgate.local.store.Store;
import dev.rollgate.spec.ImageReference;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.SpecParser;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceTable;
import dev.rollgate.view.ServiceView;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Rollouts of one namespace of a Kubernetes cluster, which {@code rollgate operator} runs. Verbs are
 * decided here on what is stored and carried out by the operator; answers take the daemon's shapes.
 */
record ClusterTarget(ClusterRollouts rollouts) implements Target {

    @Override
    public JsonNode services() {
        return Json.MAPPER.valueToTree(all());
    }

    @Override
    public JsonNode service(String name) {
        return Json.MAPPER.valueToTree(ClusterViews.service(view(name)));
    }

    @Override
    public JsonNode history(String name) {
        return Json.MAPPER.valueToTree(ClusterViews.history(view(name)));
    }

    @Override
    public Events events(String name) {
        ClusterEventFeed feed = new ClusterEventFeed(rollouts, name);
        return new Events() {
            @Override
            public List<EventRow> newest(int limit) {
                return ClusterEventFeed.newest(feed.all(), limit);
            }

            @Override
            public List<EventRow> fresh() {
                return feed.fresh();
            }

            @Override
            public Duration period() {
                return Duration.ofSeconds(1);
            }
        };
    }

    @Override
    public String act(String name, Verb verb) {
        view(name);
        return switch (rollouts.ask(name, verb)) {
            case VerbResult.Done d -> d.message();
            case VerbResult.Refused x -> throw new CliException(x.message());
        };
    }

    @Override
    public String delete(String name) {
        if (!rollouts.delete(name)) throw noRollout(rollouts, name);
        return "service/" + name + " deleted from namespace " + rollouts.namespace();
    }

    /** The file's Rollouts and AnalysisTemplates, created or updated in the namespace; the operator rolls them out. */
    @Override
    public Applied apply(Path file, String text, boolean requireDigest) {
        try {
            if (requireDigest) refuseTags(file, text);
            var applied = ClusterApply.apply(rollouts.client(), rollouts.namespace(), text);
            List<String> lines = applied.stream().map(a -> switch (a.kind()) {
                case "Rollout" -> "service/";
                case "ConfigMap" -> "configmap/";
                default -> "analysistemplate/";
            } + a.name() + " " + a.result()).toList();
            return new Applied(Json.MAPPER.valueToTree(Map.of("applied", applied)), lines);
        } catch (InvalidSpecException e) {
            throw new CliException(file + ": the spec is not valid; nothing was applied", e.errors().stream().map(err -> file + ": " + err).toList());
        } catch (KubernetesClientException e) {
            throw new CliException(file + ": " + Clusters.problem(e));
        }
    }

    /** {@code --require-digest} on a cluster: every template's image carries its digest, or nothing is applied. */
    private static void refuseTags(Path file, String text) throws InvalidSpecException {
        List<String> tags = new ArrayList<>();
        for (var r : SpecParser.parse(text)) {
            String image = r.spec().template().image();
            if (image != null) {
                ImageReference.parse(image).refusedBy("--require-digest")
                        .ifPresent(why -> tags.add(file + ": " + r.name() + ": spec.template.image: " + why));
            }
        }
        if (!tags.isEmpty()) throw new CliException(file + ": the images are refused; nothing was applied", tags);
    }

    @Override
    public DiffCommand.Previews preview(Path file, String text) {
        try {
            return new DiffCommand.Previews(ClusterApply.preview(rollouts, text), List.of());
        } catch (InvalidSpecException e) {
            throw new CliException(file + ": the spec is not valid", e.errors().stream().map(err -> file + ": " + err).toList());
        }
    }

    @Override
    public String address(ServiceView s) {
        return "Services " + String.join(", ", ClusterRollouts.services(rollouts.view(s.name())))
                + " (port " + (s.port() == 0 ? 80 : s.port()) + ") in namespace " + rollouts.namespace();
    }

    @Override
    public Listing listing(String name, boolean wide) {
        List<ServiceView> services = name == null ? all() : List.of(ClusterViews.service(view(name)));
        return new Listing(ServiceTable.of(services, wide, Instant.now()), List.of());
    }

    private List<ServiceView> all() {
        List<ServiceView> all = new ArrayList<>();
        for (String n : rollouts.names()) {
            var v = rollouts.view(n);
            if (v != null) all.add(ClusterViews.service(v));
        }
        return all;
    }

    private ClusterRollouts.View view(String name) {
        var v = rollouts.view(name);
        if (v == null) throw noRollout(rollouts, name);
        return v;
    }

    static CliException noRollout(ClusterRollouts rollouts, String name) {
        return new CliException("no Rollout " + name + " in namespace " + rollouts.namespace());
    }
}
