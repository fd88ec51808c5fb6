package dev.rollgate.kubernetes;

import dev.rollgate.json.Json;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Rollout object read by the same parser as a spec file: its spec, with the AnalysisTemplates
 * of its namespace as the documents beside it, so every error names the same field path.
 */
final class ClusterSpecs {

    private ClusterSpecs() {}

    static Rollout parse(RolloutResource r, List<AnalysisTemplateResource> templates) throws InvalidSpecException {
        StringBuilder doc = new StringBuilder(document("Rollout", r.getMetadata().getName(), r.getSpec()));
        for (AnalysisTemplateResource t : templates) doc.append("\n---\n").append(document("AnalysisTemplate", t.getMetadata().getName(), t.getSpec()));
        Rollout rollout = SpecParser.parse(doc.toString()).getFirst();
        List<String> refused = embeddedOnly(rollout);
        if (!refused.isEmpty()) throw new InvalidSpecException(refused.stream().map(m -> new dev.rollgate.spec.SpecError("spec.database", 0, m)).toList());
        return rollout;
    }

    /**
     * What a cluster would silently not do, refused instead: the migration gate runs on the
     * embedded platform only, and a Rollout whose schema changes nobody gates must not look gated.
     */
    static List<String> embeddedOnly(Rollout r) {
        return r.spec().database() == null ? List.of()
                : List.of("expand / contract migrations are gated by the embedded platform only (rollgate up); on a cluster run them"
                        + " with your migration job and remove spec.database");
    }

    /** One document as pretty JSON (JSON is YAML, and one field per line keeps the parser's line numbers useful). */
    private static String document(String kind, String name, Map<String, Object> spec) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("apiVersion", RolloutResource.API_VERSION);
        d.put("kind", kind);
        d.put("metadata", Map.of("name", name));
        d.put("spec", spec == null ? Map.of() : spec);
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(d);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
