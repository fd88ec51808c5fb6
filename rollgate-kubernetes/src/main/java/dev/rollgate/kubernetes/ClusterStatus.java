package dev.rollgate.kubernetes;

import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.json.Json;
import dev.rollgate.rollout.Condition;
import dev.rollgate.spec.SpecJson;
import dev.rollgate.spec.Template;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Rollout's {@code status} as the cluster shows it, Argo Rollouts' fields where the concept is
 * the same (phase, message, replicas, conditions, currentStepIndex, stableRS, currentPodHash,
 * abort), plus the controller's whole status under {@code rollgate}, and the template a rollback,
 * undo or restart put in place of the spec's ({@code templateOverride}, for the spec's template
 * hash {@code templateOverrideFor}: a new template in the spec ends it).
 */
final class ClusterStatus {

    static final String ROLLGATE = "rollgate";
    static final String OVERRIDE = "templateOverride";
    static final String OVERRIDE_FOR = "templateOverrideFor";
    static final String LAST_VERB = "lastVerb";
    /** The version each Secret and ConfigMap was pinned at ({@code kind/name}), for the template (unpinned) hash {@code sourcePinsFor}. */
    static final String PINS = "sourcePins";
    static final String PINS_FOR = "sourcePinsFor";
    /** What was found changed out of band and left as it is (driftPolicy: report). */
    static final String DRIFT = "drift";
    static final String LAST_VERB_RESULT = "lastVerbResult";

    private ClusterStatus() {}

    static RolloutStatus rolloutStatus(Map<String, Object> status) {
        if (status == null || !status.containsKey(ROLLGATE)) return RolloutStatus.NONE;
        return Json.fromMap(status.get(ROLLGATE), RolloutStatus.class);
    }

    /** The template in place of the spec's, when the spec's template is still {@code specHash}'s. */
    static Template override(Map<String, Object> status, String specHash) {
        if (status == null || !specHash.equals(status.get(OVERRIDE_FOR)) || !(status.get(OVERRIDE) instanceof String json)) return null;
        return SpecJson.template(json);
    }

    static Map<String, Object> of(RolloutStatus s, String currentHash, Template override, String overrideFor, String lastVerb,
                                  String lastVerbResult) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", s.phase());
        m.put("message", message(s));
        m.put("observedGeneration", Long.toString(s.observedGeneration()));
        m.put("replicas", s.replicas());
        m.put("updatedReplicas", s.updated());
        m.put("readyReplicas", s.ready());
        m.put("availableReplicas", s.available());
        m.put("currentPodHash", currentHash);
        if (s.progressive() != null) {
            var st = s.progressive().state();
            m.put("stableRS", st.stableHash());
            if (st.canaryHash() != null) m.put("canaryRS", st.canaryHash());
            m.put("currentStepIndex", st.stepIndex());
            m.put("step", s.progressive().step());
            if (s.progressive().weights() != null) m.put("weights", s.progressive().weights());
            m.put("abort", st.aborted());
        }
        List<Map<String, Object>> conditions = new ArrayList<>();
        for (Condition c : new Condition[] {s.availableCondition(), s.progressing()}) {
            if (c == null) continue;
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("type", c.type());
            cm.put("status", c.status());
            cm.put("reason", c.reason());
            cm.put("message", c.message());
            cm.put("lastUpdateTime", c.lastUpdate().toString());
            cm.put("lastTransitionTime", c.lastTransition().toString());
            conditions.add(cm);
        }
        m.put("conditions", conditions);
        m.put(ROLLGATE, Json.toMap(s));
        if (override != null) {
            m.put(OVERRIDE, SpecJson.write(override));
            m.put(OVERRIDE_FOR, overrideFor);
        }
        if (lastVerb != null) {
            m.put(LAST_VERB, lastVerb);
            m.put(LAST_VERB_RESULT, lastVerbResult);
        }
        return m;
    }

    /** {@code status} with the drift found ({@code drift} and a {@code Drifted} condition), or without any when none is. */
    @SuppressWarnings("unchecked")
    static void withDrift(Map<String, Object> status, List<String> drift) {
        List<Map<String, Object>> conditions = new ArrayList<>();
        if (status.get("conditions") instanceof List<?> l) {
            for (Object c : l) if (c instanceof Map<?, ?> m && !"Drifted".equals(m.get("type"))) conditions.add((Map<String, Object>) m);
        }
        status.remove(DRIFT);
        if (!drift.isEmpty()) {
            status.put(DRIFT, drift);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", "Drifted");
            c.put("status", "True");
            c.put("reason", "OutOfBandChange");
            c.put("message", String.join("; ", drift));
            c.put("lastTransitionTime", Instant.now().toString());
            conditions.add(c);
        }
        status.put("conditions", conditions);
    }

    private static String message(RolloutStatus s) {
        if (s.progressive() != null && s.progressive().state().aborted()) return s.progressive().state().abortMessage();
        if (s.abortMessage() != null) return s.abortMessage();
        return s.progressing() == null ? "" : s.progressing().message();
    }
}
