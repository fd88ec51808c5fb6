package dev.rollgate.analysis.run;

import dev.rollgate.analysis.AnalysisPhase;

/**
 * What a provider read: a value for the metric's conditions, or (a job's exit status, a judge's
 * verdict when no condition is set) the outcome itself.
 */
public record Reading(Object value, AnalysisPhase outcome, String message) {

    public static Reading value(Object v) {
        return new Reading(v, null, "");
    }
}
