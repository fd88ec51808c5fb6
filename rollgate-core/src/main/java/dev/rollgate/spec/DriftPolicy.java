package dev.rollgate.spec;

/**
 * What Rollgate does when what runs differs from what it decided (a ReplicaSet scaled or edited by
 * hand, a Service's selector or a route's weights changed, a data plane's table, a replica's port or
 * container replaced): put it back with a {@code DriftCorrected} event ({@code heal}), or only say
 * so with a {@code Drifted} event and condition ({@code report}).
 */
public enum DriftPolicy {
    HEAL, REPORT;

    public static DriftPolicy of(String word) {
        return word == null || word.equals("heal") ? HEAL : REPORT;
    }
}
