package dev.rollgate.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rollout-relevant view of any workload kind: Deployment, StatefulSet, DaemonSet, an Argo
 * Rollout, or a Rollgate spec (whose template is the one container).
 *
 * @param replicas   desired replicas; null for a DaemonSet (one per node)
 * @param maxSurge   the strategy's maxSurge as written (or its default); null with a Recreate strategy
 */
public record Workload(Manifest manifest, Map<String, String> podLabels, List<Container> containers, Integer replicas, ManifestNode replicasNode,
                       ManifestNode strategy, String maxSurge, String maxUnavailable, ManifestNode progressDeadline, ManifestNode minReady, ManifestNode grace, ManifestNode podSpec,
                       boolean rollgateServed) {

    /** One container: the fields the checks read. */
    public record Container(String name, ManifestNode node, ManifestNode image, ManifestNode readiness, ManifestNode liveness, ManifestNode startup, ManifestNode preStop, ManifestNode resources, ManifestNode env) {}

    static final List<String> KINDS = List.of("Deployment", "StatefulSet", "DaemonSet", "Rollout");

    /** The workload view of a manifest, or null when it is not a workload. */
    public static Workload of(Manifest m) {
        if (!KINDS.contains(m.kind())) return null;
        ManifestNode spec = m.root().get("spec");
        if (m.isRollgate()) {
            ManifestNode t = spec.get("template");
            Container c = new Container(m.name(), t, t.get("image"), t.get("readinessProbe"), t.get("livenessProbe"), t.get("startupProbe"),
                    t.at("lifecycle", "preStop"), t.get("resources"), t.get("env"));
            ManifestNode ru = spec.at("strategy", "rollingUpdate");
            boolean recreate = spec.at("strategy", "recreate").exists();
            return new Workload(m, m.root().at("metadata", "labels").stringMap(), List.of(c), spec.get("replicas").integer(1), spec.get("replicas"),
                    spec.get("strategy"), recreate ? null : ru.get("maxSurge").text("25%"), recreate ? null : ru.get("maxUnavailable").text("25%"),
                    spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds"), t.get("terminationGracePeriodSeconds"), t,
                    spec.get("service").exists());
        }
        ManifestNode podSpec = spec.at("template", "spec");
        List<Container> containers = new ArrayList<>();
        for (ManifestNode c : podSpec.get("containers").list()) {
            containers.add(new Container(c.get("name").text("?"), c, c.get("image"), c.get("readinessProbe"), c.get("livenessProbe"),
                    c.get("startupProbe"), c.at("lifecycle", "preStop"), c.get("resources"), c.get("env")));
        }
        Map<String, String> labels = spec.at("template", "metadata", "labels").stringMap();
        String surge, unavailable;
        ManifestNode strategy;
        switch (m.kind()) {
            case "Deployment" -> {
                strategy = spec.get("strategy");
                boolean recreate = "Recreate".equals(strategy.get("type").text());
                surge = recreate ? null : strategy.at("rollingUpdate", "maxSurge").text("25%");
                unavailable = recreate ? null : strategy.at("rollingUpdate", "maxUnavailable").text("25%");
            }
            case "StatefulSet" -> {
                strategy = spec.get("updateStrategy");
                surge = "0";
                unavailable = strategy.at("rollingUpdate", "maxUnavailable").text("1");
            }
            case "DaemonSet" -> {
                strategy = spec.get("updateStrategy");
                surge = strategy.at("rollingUpdate", "maxSurge").text("0");
                unavailable = strategy.at("rollingUpdate", "maxUnavailable").text("1");
            }
            default -> { // Argo Rollout
                strategy = spec.get("strategy");
                ManifestNode canary = strategy.get("canary");
                surge = canary.exists() ? canary.get("maxSurge").text("25%") : "100%";
                unavailable = canary.exists() ? canary.get("maxUnavailable").text("25%") : "0";
            }
        }
        Integer replicas = m.kind().equals("DaemonSet") ? null : spec.get("replicas").integer(1);
        return new Workload(m, labels, containers, replicas, spec.get("replicas"), strategy, surge, unavailable,
                spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds"), podSpec.get("terminationGracePeriodSeconds"), podSpec, false);
    }

    /** An int-or-percent against {@code total}: percentages round up for surge and down for unavailable. */
    static int scaled(String value, int total, boolean roundUp) {
        if (value == null) return 0;
        String v = value.strip();
        try {
            if (v.endsWith("%")) {
                long p = Long.parseLong(v.substring(0, v.length() - 1)) * total;
                return (int) (roundUp ? (p + 99) / 100 : p / 100);
            }
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
