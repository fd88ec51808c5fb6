package dev.rollgate.spec;

import java.util.List;

/** Where a service's rollout events are POSTed as JSON; {@code events} empty means all of them. */
public record Webhook(String url, List<String> events) {

    public static final List<String> EVENTS = List.of("RolloutStarted", "StepCompleted", "RolloutPaused", "RolloutPromoted",
            "RolloutAborted", "RolloutCompleted", "AnalysisFailed", "BakeStarted", "BakeRolledBack", "BakeCompleted");
}
