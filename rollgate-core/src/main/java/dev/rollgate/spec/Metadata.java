package dev.rollgate.spec;

import java.util.Map;

/** Object metadata, as in Kubernetes: the name identifies the service. */
public record Metadata(String name, Map<String, String> labels, Map<String, String> annotations) {
    public Metadata {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
