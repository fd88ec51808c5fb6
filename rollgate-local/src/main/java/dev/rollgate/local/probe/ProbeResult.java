package dev.rollgate.local.probe;

/** One probe attempt's outcome and what the replica said or did, for events and {@code describe}. */
public record ProbeResult(Outcome outcome, String detail) {

    /** Kubernetes' probe outcomes. Unknown means "take no action, probe again". */
    public enum Outcome { SUCCESS, FAILURE, UNKNOWN }

    public static ProbeResult success(String detail) {
        return new ProbeResult(Outcome.SUCCESS, detail);
    }

    public static ProbeResult failure(String detail) {
        return new ProbeResult(Outcome.FAILURE, detail);
    }

    public boolean isSuccess() {
        return outcome == Outcome.SUCCESS;
    }
}
