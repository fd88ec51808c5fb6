package dev.rollgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.plan.PlanInput;
import dev.rollgate.plan.RolloutPlan;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** {@code rollgate plan}: batch size, time, capacity and failed requests, and the same for other settings, as text or JSON. */
final class PlanOutput {

    /** One input's plan: under the assumptions given, as on Kubernetes, and under other surge / unavailable settings. */
    record Plans(PlanInput input, RolloutPlan plan, RolloutPlan onKubernetes, List<RolloutPlan> alternatives, boolean behindRollgate) {}

    private PlanOutput() {}

    static void json(PrintWriter out, Plans p) {
        ObjectMapper json = new ObjectMapper();
        PlanInput r = p.input();
        ObjectNode root = json.valueToTree(p.plan());
        root.put("kind", r.kind());
        root.put("name", r.name());
        root.put("surgeCpuCores", p.plan().surge() * r.cpuRequest());
        root.put("surgeMemoryBytes", p.plan().surge() * r.memoryRequest());
        root.put("failedPerRotationOnKubernetes", p.onKubernetes().failedPerRotation());
        root.set("alternatives", json.valueToTree(p.alternatives()));
        try {
            out.println(json.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void text(PrintWriter out, Plans plans, double rate, double propagationSeconds) {
        PlanInput r = plans.input();
        RolloutPlan p = plans.plan();
        out.printf("%s %s: %d replicas, maxSurge %s (%d), maxUnavailable %s (%d)%n", r.kind(), r.name(), p.replicas(), p.maxSurge(), p.surge(),
                p.maxUnavailable(), p.unavailable());
        out.printf("  batch size                %d replica(s) at a time%n", p.batch());
        out.printf("  rollout time              ceil(%d / %d) x (%.1fs startup + %.1fs readiness + %ds minReady) = %.1fs%n",
                p.replicas(), p.batch(), p.startupSeconds(), p.readinessSeconds(), p.minReadySeconds(), p.seconds());
        out.printf("  capacity during rollout   %.0f%% to %.0f%% of %d replicas%n", p.minCapacity() * 100, p.maxCapacity() * 100, p.replicas());
        out.printf("  surge resource overhead   %d extra replica(s) at most (%.0f%%)%s%n", p.surge(), (p.maxCapacity() - 1) * 100,
                r.cpuRequest() == 0 && r.memoryRequest() == 0 ? "; no resource requests set"
                        : String.format(Locale.ROOT, ": %.2f cores and %d MiB of requests", p.surge() * r.cpuRequest(),
                                p.surge() * r.memoryRequest() / (1024 * 1024)));
        double failed = plans.onKubernetes().failedPerRotation();
        if (plans.behindRollgate()) {
            out.printf("  failed requests/rotation  0 behind Rollgate's proxy (endpoint removed before SIGTERM);%n");
            out.printf("                            %.1f on Kubernetes at %.0f req/s with %.1fs endpoint propagation%n",
                    failed, rate, propagationSeconds);
        } else {
            out.printf("  failed requests/rotation  %.1f at %.0f req/s with %.1fs endpoint propagation, %ds preStop sleep%n",
                    failed, rate, propagationSeconds, r.preStopSleepSeconds());
        }
        out.println();
        out.printf("  %-10s %-14s %6s %10s %10s %10s%n", "maxSurge", "maxUnavailable", "batch", "time", "min cap", "max cap");
        for (RolloutPlan a : plans.alternatives()) {
            out.printf("  %-10s %-14s %6d %9.1fs %9.0f%% %9.0f%%%n", a.maxSurge(), a.maxUnavailable(), a.batch(), a.seconds(),
                    a.minCapacity() * 100, a.maxCapacity() * 100);
        }
    }
}
