package dev.rollgate.lint;

import java.util.Map;
import java.util.Set;

/** One Kubernetes-style object from a YAML document. */
public record Manifest(String apiVersion, String kind, String name, String namespace, String file, ManifestNode root) {

    public static final String IGNORE_ANNOTATION = "rollgate.dev/ignore";

    public Map<String, String> annotations() {
        return root.at("metadata", "annotations").stringMap();
    }

    /** Check ids this object suppresses with {@code rollgate.dev/ignore: id,id}. */
    public Set<String> ignored() {
        String v = annotations().get(IGNORE_ANNOTATION);
        if (v == null) return Set.of();
        return Set.of(v.replace(" ", "").split(","));
    }

    public boolean isRollgate() {
        return kind.equals("Rollout") && apiVersion.startsWith("rollgate.dev/");
    }

    public boolean isArgoRollout() {
        return kind.equals("Rollout") && apiVersion.startsWith("argoproj.io/");
    }
}
