package dev.rollgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.plan.PlanInput;
import dev.rollgate.simulation.SimulatedRollout;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** {@code rollgate plan --simulate}: the simulated rollout, step by step, as text or JSON. */
final class SimulationOutput {

    private SimulationOutput() {}

    static void json(PrintWriter out, SimulatedRollout.Result result) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode steps = root.putArray("steps");
        for (SimulatedRollout.Step step : result.steps()) {
            ObjectNode n = steps.addObject();
            n.put("t", step.t());
            ArrayNode revs = n.putArray("revisions");
            for (SimulatedRollout.RevisionCount c : step.revisions()) {
                revs.addObject().put("revision", c.revision()).put("replicas", c.replicas()).put("ready", c.ready()).put("available", c.available());
            }
            if (step.step() != null) {
                n.put("step", step.step());
                ObjectNode weights = n.putObject("weights");
                step.weights().forEach((revision, w) -> weights.put(Integer.toString(revision), w));
            }
        }
        root.put("complete", result.complete());
        root.put("deadlineExceeded", result.deadlineExceeded());
        root.put("seconds", result.seconds());
        try {
            out.println(json.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void text(PrintWriter out, String label, PlanInput r, double readySeconds, SimulatedRollout.Result result) {
        out.printf("%s: simulated rollout from revision 1 to 2, every new replica ready after %.1fs, minReadySeconds %d%n",
                label, readySeconds, r.minReadySeconds());
        boolean progressive = result.steps().stream().anyMatch(s -> s.step() != null);
        out.println(String.format(Locale.ROOT, "%8s  %-26s %-26s%s", "t", "revision 1 (desired/ready/available)", "revision 2",
                progressive ? " traffic  step" : "").stripTrailing());
        for (SimulatedRollout.Step step : result.steps()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%7.1fs ", step.t()));
            for (SimulatedRollout.RevisionCount c : step.revisions()) {
                line.append(String.format(Locale.ROOT, " %-26s", c.replicas() + "/" + c.ready() + "/" + c.available()));
            }
            if (step.step() != null) line.append(String.format(Locale.ROOT, " %-8s %s", weights(step.weights()), step.step()));
            out.println(line.toString().stripTrailing());
        }
        out.printf("%s after %.1fs; at most %d replicas at once, at least %d available%n",
                result.complete() ? "complete" : result.deadlineExceeded() ? "ProgressDeadlineExceeded" : "NOT complete",
                result.seconds(), result.maxTotal(), result.minAvailable());
        if (result.deadlineExceeded() && r.source() != null && r.source().progressDeadlineAbort()) {
            out.printf("then progressDeadlineAbort %s%n", progressive ? "aborts: all traffic back to revision 1" : "rolls back to revision 1");
        }
    }

    /** "90/10": the traffic share of revision 1 and revision 2. */
    private static String weights(Map<Integer, Integer> weights) {
        return weights.getOrDefault(1, 0) + "/" + weights.getOrDefault(2, 0);
    }
}
