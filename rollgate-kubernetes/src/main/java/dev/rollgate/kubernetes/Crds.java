package dev.rollgate.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.json.Json;
import dev.rollgate.spec.CrdSchema;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CustomResourceDefinitions of {@code rollouts.rollgate.dev} and
 * {@code analysistemplates.rollgate.dev}, generated from the same shape declaration as
 * {@code rollgate.schema.json} ({@link CrdSchema}); {@code deploy/crds.yaml} is this, written out.
 */
public final class Crds {

    private Crds() {}

    public static CustomResourceDefinition rollout() {
        ObjectNode status = Json.MAPPER.createObjectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        List<Map<String, Object>> columns = List.of(
                column("Phase", "string", ".status.phase"), column("Desired", "integer", ".spec.replicas"),
                column("Available", "integer", ".status.availableReplicas"), column("Step", "string", ".status.step"),
                column("Age", "date", ".metadata.creationTimestamp"));
        return crd("Rollout", "rollouts", "rollout", List.of("rgro"), CrdSchema.rolloutSpec(), status, columns);
    }

    public static CustomResourceDefinition analysisTemplate() {
        return crd("AnalysisTemplate", "analysistemplates", "analysistemplate", List.of(), CrdSchema.analysisTemplateSpec(), null, List.of());
    }

    /** Every kind Rollgate defines: Rollout and AnalysisTemplate. */
    public static List<CustomResourceDefinition> all() {
        return List.of(rollout(), analysisTemplate());
    }

    /** All of them, as one YAML stream. */
    public static String yaml() {
        return all().stream().map(Serialization::asYaml).collect(Collectors.joining());
    }

    private static Map<String, Object> column(String name, String type, String path) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("type", type);
        c.put("jsonPath", path);
        return c;
    }

    private static CustomResourceDefinition crd(String kind, String plural, String singular, List<String> shortNames, ObjectNode spec,
                                                ObjectNode status, List<Map<String, Object>> columns) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("apiVersion", Map.of("type", "string"));
        props.put("kind", Map.of("type", "string"));
        props.put("metadata", Map.of("type", "object"));
        props.put("spec", spec);
        if (status != null) props.put("status", status);
        schema.put("properties", props);
        schema.put("required", List.of("spec"));
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("name", RolloutResource.VERSION);
        version.put("served", true);
        version.put("storage", true);
        version.put("schema", Map.of("openAPIV3Schema", schema));
        if (status != null) version.put("subresources", Map.of("status", Map.of()));
        if (!columns.isEmpty()) version.put("additionalPrinterColumns", columns);
        Map<String, Object> names = new LinkedHashMap<>();
        names.put("kind", kind);
        names.put("plural", plural);
        names.put("singular", singular);
        if (!shortNames.isEmpty()) names.put("shortNames", shortNames);
        names.put("categories", List.of("rollgate"));
        Map<String, Object> crd = new LinkedHashMap<>();
        crd.put("apiVersion", "apiextensions.k8s.io/v1");
        crd.put("kind", "CustomResourceDefinition");
        crd.put("metadata", Map.of("name", plural + "." + RolloutResource.GROUP));
        crd.put("spec", Map.of("group", RolloutResource.GROUP, "scope", "Namespaced", "names", names, "versions", List.of(version)));
        return Serialization.unmarshal(Json.write(crd), CustomResourceDefinition.class);
    }
}
