package dev.rollgate.kubernetes;

import dev.rollgate.controller.Observed;
import dev.rollgate.json.Json;
import dev.rollgate.plan.ApplyPreview;
import dev.rollgate.spec.ConfigMap;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecError;
import dev.rollgate.spec.SpecParser;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code rollgate apply -f FILE} against a cluster: the file is checked by the same parser as
 * everywhere (nothing is written when it is not valid), then each ConfigMap, Rollout and
 * AnalysisTemplate in it is created, or has its data or spec replaced, in the namespace (a changed
 * ConfigMap rolls out the Rollouts that read it, as the operator pins it). The template and {@code paused} are
 * taken as written: an undo or restart in effect ends when the file's template changes.
 */
public final class ClusterApply {

    /** What apply did to one object: created, configured or unchanged. */
    public record Applied(String kind, String name, String result) {}

    private ClusterApply() {}

    public static List<Applied> apply(KubernetesClient client, String namespace, String yaml) throws InvalidSpecException {
        checked(yaml);
        List<Applied> out = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (doc instanceof Map<?, ?> m && ConfigMap.KIND.equals(m.get("kind")) && ConfigMap.API_VERSION.equals(m.get("apiVersion"))) {
                out.add(configMap(client, namespace, m));
                continue;
            }
            if (!(doc instanceof Map<?, ?> m) || !RolloutResource.API_VERSION.equals(m.get("apiVersion"))) continue;
            String kind = String.valueOf(m.get("kind"));
            String name = String.valueOf(((Map<?, ?>) m.get("metadata")).get("name"));
            Map<String, Object> spec = Json.toMap(m.get("spec") == null ? Map.of() : m.get("spec"));
            switch (kind) {
                case "Rollout" -> out.add(new Applied(kind, name, put(client, namespace, name, spec, new RolloutResource(), RolloutResource.class)));
                case "AnalysisTemplate" -> out.add(new Applied(kind, name,
                        put(client, namespace, name, spec, new AnalysisTemplateResource(), AnalysisTemplateResource.class)));
                default -> { }
            }
        }
        return out;
    }

    /**
     * What {@link #apply} would do with the file's Rollouts, after the same checks, changing nothing
     * ({@code rollgate diff}): each compared with the spec in force and its revisions.
     */
    public static List<ApplyPreview> preview(ClusterRollouts rollouts, String yaml) throws InvalidSpecException {
        List<ApplyPreview> out = new ArrayList<>();
        for (Rollout r : checked(yaml)) {
            ClusterRollouts.View v = rollouts.view(r.name());
            if (v == null) {
                out.add(ApplyPreview.of(r.name(), null, r.spec(), List.of()));
                continue;
            }
            out.add(ApplyPreview.of(r.name(), v.spec(), r.spec(), Observed.Group.history(v.groups())));
        }
        return out;
    }

    /** The file's Rollouts, read by the same parser as everywhere, with what only the embedded platform runs refused. */
    private static List<Rollout> checked(String yaml) throws InvalidSpecException {
        List<Rollout> rollouts = SpecParser.read(yaml).rollouts();
        List<SpecError> refused = new ArrayList<>();
        for (var r : rollouts) {
            ClusterSpecs.embeddedOnly(r).forEach(e -> refused.add(new SpecError(e.path(), e.line(), r.name() + ": " + e.message())));
        }
        if (!refused.isEmpty()) throw new InvalidSpecException(refused);
        return rollouts;
    }

    private static Applied configMap(KubernetesClient client, String namespace, Map<?, ?> doc) {
        String name = String.valueOf(((Map<?, ?>) doc.get("metadata")).get("name"));
        Map<String, String> data = new LinkedHashMap<>();
        if (doc.get("data") instanceof Map<?, ?> d) d.forEach((k, v) -> data.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        var handle = client.configMaps().inNamespace(namespace).withName(name);
        var existing = handle.get();
        if (existing == null) {
            client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(name).withNamespace(namespace).endMetadata().withData(data).build()).create();
            return new Applied(ConfigMap.KIND, name, "created");
        }
        if (data.equals(existing.getData() == null ? Map.of() : existing.getData())) return new Applied(ConfigMap.KIND, name, "unchanged");
        Conflicts.retry(() -> handle.edit(c -> {
            c.setData(data);
            return c;
        }));
        return new Applied(ConfigMap.KIND, name, "configured");
    }

    private static <T extends CustomResource<Map<String, Object>, ?>> String put(KubernetesClient client, String namespace, String name,
                                                                                Map<String, Object> spec, T fresh, Class<T> type) {
        var handle = client.resources(type).inNamespace(namespace).withName(name);
        T existing = handle.get();
        if (existing == null) {
            fresh.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
            fresh.setSpec(new LinkedHashMap<>(spec));
            client.resources(type).inNamespace(namespace).resource(fresh).create();
            return "created";
        }
        if (spec.equals(existing.getSpec())) return "unchanged";
        Conflicts.retry(() -> handle.edit(r -> {
            r.setSpec(new LinkedHashMap<>(spec));
            return r;
        }));
        return "configured";
    }
}
