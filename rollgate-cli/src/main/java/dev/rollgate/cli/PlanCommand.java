package dev.rollgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.lint.Linter;
import dev.rollgate.lint.Manifest;
import dev.rollgate.lint.Workload;
import dev.rollgate.plan.PlanInput;
import dev.rollgate.plan.RolloutPlan;
import dev.rollgate.rollout.SimulatedRollout;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.SpecError;
import dev.rollgate.spec.SpecParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine.Spec;

/** {@code rollgate plan FILE}: how long a rollout takes, what capacity it keeps, and what it does step by step. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what a rolling update of a spec will do: batch size, duration, capacity, expected failed requests,",
                "and the same for other maxSurge / maxUnavailable settings. --simulate runs the real controller in virtual time."})
final class PlanCommand implements Callable<Integer> {

    enum Output { text, json }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A Rollgate spec or Kubernetes manifests (Deployment, StatefulSet, Argo Rollout).")
    Path file;

    @Option(names = "--simulate", description = "Run the controller against a simulated platform and print every step.")
    boolean simulate;

    @Option(names = "--startup-seconds", paramLabel = "S",
            description = {"Seconds a new replica takes to start (default: estimated from the startup probe);",
                    "with --simulate, seconds until a new replica is Ready."})
    Double startupSeconds;

    @Option(names = "--rate", paramLabel = "R", description = "Requests per second, for the failed-request estimate (default 100).")
    double rate = 100;

    @Option(names = "--propagation-seconds", paramLabel = "D",
            description = "Endpoint propagation delay on Kubernetes, for the failed-request estimate (default 2).")
    double propagationSeconds = 2;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text or json (default text).")
    Output output = Output.text;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (startupSeconds != null && (startupSeconds < 0 || startupSeconds.isNaN())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--startup-seconds must be 0 or more, got " + startupSeconds);
        }
        if (rate < 0 || propagationSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rate and --propagation-seconds must be 0 or more");
        }
        List<PlanInput> inputs = new ArrayList<>();
        List<Manifest> manifests;
        try {
            manifests = Linter.parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            spec.commandLine().getErr().println(file + ": cannot read " + file + ": no such file");
            return 1;
        } catch (IOException | YAMLException e) {
            spec.commandLine().getErr().println(file + ": cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
            return 1;
        }
        if (manifests.stream().anyMatch(Manifest::isRollgate)) {
            try {
                SpecParser.parseFile(file).forEach(r -> inputs.add(PlanInput.of(r)));
            } catch (InvalidSpecException e) {
                for (SpecError error : e.errors()) spec.commandLine().getErr().println(file + ": " + error);
                return 1;
            }
        }
        for (Manifest m : manifests) {
            Workload w = m.isRollgate() ? null : Workload.of(m);
            if (w != null && w.replicas() != null) inputs.add(PlanInput.of(w));
        }
        if (inputs.isEmpty()) {
            spec.commandLine().getErr().println(file + ": no rollout-like object (Deployment, StatefulSet, Argo Rollout or Rollgate Rollout) to plan");
            return 1;
        }
        ObjectMapper json = new ObjectMapper();
        for (PlanInput r : inputs) {
            String label = r.kind() + " " + r.name();
            if (simulate) {
                // Ready after S seconds when given; otherwise after the probes' estimated startup and readiness times.
                double s = startupSeconds != null ? startupSeconds : r.startupSeconds() + r.readinessSeconds();
                SimulatedRollout.Result result = SimulatedRollout.run(r.toSpec(), Math.round(s * 1000));
                if (output == Output.json) {
                    ObjectNode root = json.createObjectNode();
                    ArrayNode steps = root.putArray("steps");
                    for (SimulatedRollout.Step step : result.steps()) {
                        ObjectNode n = steps.addObject();
                        n.put("t", step.t());
                        ArrayNode revs = n.putArray("revisions");
                        for (SimulatedRollout.RevisionCount c : step.revisions()) {
                            revs.addObject().put("revision", c.revision()).put("replicas", c.replicas()).put("ready", c.ready())
                                    .put("available", c.available());
                        }
                    }
                    out.println(json.writeValueAsString(root));
                } else {
                    out.printf("%s: simulated rollout from revision 1 to 2, every new replica ready after %.1fs, minReadySeconds %d%n",
                            label, s, r.minReadySeconds());
                    out.printf("%8s  %-26s %-26s%n", "t", "revision 1 (desired/ready/available)", "revision 2");
                    for (SimulatedRollout.Step step : result.steps()) {
                        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%7.1fs ", step.t()));
                        for (SimulatedRollout.RevisionCount c : step.revisions()) {
                            line.append(String.format(Locale.ROOT, " %-26s", c.replicas() + "/" + c.ready() + "/" + c.available()));
                        }
                        out.println(line.toString().stripTrailing());
                    }
                    out.printf("%s after %.1fs; at most %d replicas at once, at least %d available%n",
                            result.complete() ? "complete" : result.deadlineExceeded() ? "ProgressDeadlineExceeded" : "NOT complete",
                            result.seconds(), result.maxTotal(), result.minAvailable());
                }
                continue;
            }
            boolean rollgate = r.kind().equals("Rollout") && r.cpuRequest() == 0 && r.memoryRequest() == 0
                    && manifests.stream().anyMatch(m -> m.isRollgate() && m.name().equals(r.name()));
            RolloutPlan p = RolloutPlan.of(r, assumptions(rollgate));
            RolloutPlan k8s = RolloutPlan.of(r, assumptions(false));
            List<RolloutPlan> alternatives = RolloutPlan.alternatives(r, assumptions(rollgate));
            if (output == Output.json) {
                ObjectNode root = json.valueToTree(p);
                root.put("kind", r.kind());
                root.put("name", r.name());
                root.put("surgeCpuCores", p.surge() * r.cpuRequest());
                root.put("surgeMemoryBytes", p.surge() * r.memoryRequest());
                root.put("failedPerRotationOnKubernetes", k8s.failedPerRotation());
                root.set("alternatives", json.valueToTree(alternatives));
                out.println(json.writeValueAsString(root));
                continue;
            }
            out.printf("%s: %d replicas, maxSurge %s (%d), maxUnavailable %s (%d)%n", label, p.replicas(), p.maxSurge(), p.surge(),
                    p.maxUnavailable(), p.unavailable());
            out.printf("  batch size                %d replica(s) at a time%n", p.batch());
            out.printf("  rollout time              ceil(%d / %d) x (%.1fs startup + %.1fs readiness + %ds minReady) = %.1fs%n",
                    p.replicas(), p.batch(), p.startupSeconds(), p.readinessSeconds(), p.minReadySeconds(), p.seconds());
            out.printf("  capacity during rollout   %.0f%% to %.0f%% of %d replicas%n", p.minCapacity() * 100, p.maxCapacity() * 100, p.replicas());
            out.printf("  surge resource overhead   %d extra replica(s) at most (%.0f%%)%s%n", p.surge(), (p.maxCapacity() - 1) * 100,
                    r.cpuRequest() == 0 && r.memoryRequest() == 0 ? "; no resource requests set"
                            : String.format(Locale.ROOT, ": %.2f cores and %d MiB of requests", p.surge() * r.cpuRequest(),
                                    p.surge() * r.memoryRequest() / (1024 * 1024)));
            if (rollgate) {
                out.printf("  failed requests/rotation  0 behind Rollgate's proxy (endpoint removed before SIGTERM);%n");
                out.printf("                            %.1f on Kubernetes at %.0f req/s with %.1fs endpoint propagation%n",
                        k8s.failedPerRotation(), rate, propagationSeconds);
            } else {
                out.printf("  failed requests/rotation  %.1f at %.0f req/s with %.1fs endpoint propagation, %ds preStop sleep%n",
                        k8s.failedPerRotation(), rate, propagationSeconds, r.preStopSleepSeconds());
            }
            out.println();
            out.printf("  %-10s %-14s %6s %10s %10s %10s%n", "maxSurge", "maxUnavailable", "batch", "time", "min cap", "max cap");
            for (RolloutPlan a : alternatives) {
                out.printf("  %-10s %-14s %6d %9.1fs %9.0f%% %9.0f%%%n", a.maxSurge(), a.maxUnavailable(), a.batch(), a.seconds(),
                        a.minCapacity() * 100, a.maxCapacity() * 100);
            }
        }
        out.flush();
        return 0;
    }

    private RolloutPlan.Assumptions assumptions(boolean rollgateProxy) {
        return new RolloutPlan.Assumptions(startupSeconds, rate, propagationSeconds, rollgateProxy);
    }
}
