package dev.rollgate.analysis;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The phase of a measurement, a metric or a whole analysis run, with Argo Rollouts' names. The
 * order is Argo's "worst" order for a run: Successful &lt; Running &lt; Pending &lt; Inconclusive &lt; Error &lt; Failed.
 */
public enum AnalysisPhase {
    SUCCESSFUL("Successful"), RUNNING("Running"), PENDING("Pending"), INCONCLUSIVE("Inconclusive"), ERROR("Error"), FAILED("Failed");

    private final String display;

    AnalysisPhase(String display) {
        this.display = display;
    }

    public boolean completed() {
        return this != RUNNING && this != PENDING;
    }

    /** Failed or Error: the rollout aborts. */
    public boolean aborts() {
        return this == FAILED || this == ERROR;
    }

    public static AnalysisPhase worst(AnalysisPhase a, AnalysisPhase b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    @JsonValue
    @Override
    public String toString() {
        return display;
    }
}
