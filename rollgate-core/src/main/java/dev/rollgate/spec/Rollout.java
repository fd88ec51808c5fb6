package dev.rollgate.spec;

/** One service's spec file document ({@code kind: Rollout}). */
public record Rollout(Metadata metadata, RolloutSpec spec) {

    public static final String API_VERSION = "rollgate.dev/v1alpha1";
    public static final String KIND = "Rollout";

    public String name() {
        return metadata.name();
    }
}
