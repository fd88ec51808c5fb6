package dev.rollgate.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rollgate.json.Json;
import dev.rollgate.spec.AnalysisTemplate;
import dev.rollgate.spec.CanaryStep;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecError;
import dev.rollgate.spec.SpecParser;
import dev.rollgate.spec.Strategy;
import java.util.ArrayList;
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
        List<SpecError> refused = embeddedOnly(rollout);
        if (!refused.isEmpty()) throw new InvalidSpecException(refused);
        return rollout;
    }

    /**
     * What a cluster would silently not do, refused instead: the migration gate, mirrored requests
     * and Rollgate's own load all need the embedded platform (its daemon and proxy), and a Rollout
     * must not look gated or judged by what nobody runs.
     */
    static List<SpecError> embeddedOnly(Rollout r) {
        List<SpecError> out = new ArrayList<>();
        if (r.spec().database() != null) {
            out.add(new SpecError("spec.database", 0, "expand / contract migrations are gated by the embedded platform only (rollgate up);"
                    + " on a cluster run them with your migration job and remove spec.database"));
        }
        if (r.spec().strategy() instanceof Strategy.Canary c) {
            for (int i = 0; i < c.steps().size(); i++) {
                if (c.steps().get(i) instanceof CanaryStep.SetMirrorRoute) {
                    out.add(new SpecError("spec.strategy.canary.steps[" + i + "].setMirrorRoute", 0, "mirrored requests are copied and"
                            + " judged by Rollgate's own proxy, which a cluster does not run; on Kubernetes, use setWeight with a judge"));
                }
            }
        }
        for (AnalysisTemplate t : r.spec().analysisTemplates()) {
            for (int i = 0; i < t.metrics().size(); i++) {
                if (t.metrics().get(i).provider() instanceof AnalysisTemplate.Provider.Load) {
                    out.add(new SpecError("AnalysisTemplate " + t.name() + ": spec.metrics[" + i + "].provider.load", 0, "Rollgate's own load"
                            + " is sent through its proxy, which a cluster does not run; on Kubernetes, run a load tester in a job metric"));
                }
            }
        }
        return out;
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
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
