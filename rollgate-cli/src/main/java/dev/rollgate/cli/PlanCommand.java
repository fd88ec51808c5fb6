package dev.rollgate.cli;

import dev.rollgate.plan.PlanInput;
import dev.rollgate.plan.RolloutPlan;
import dev.rollgate.simulation.SimulatedRollout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollgate plan FILE}: how long a rollout takes, what capacity it keeps, and what it does step by step. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what a rolling update of a spec will do, and what other surge settings would.",
                "Gives batch size, duration, capacity and expected failed requests,",
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
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (startupSeconds != null && (startupSeconds < 0 || startupSeconds.isNaN())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--startup-seconds must be 0 or more, got " + startupSeconds);
        }
        if (rate < 0 || propagationSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rate and --propagation-seconds must be 0 or more");
        }
        PlanInputs read = PlanInputs.read(file);
        if (!read.errors().isEmpty()) {
            read.errors().forEach(spec.commandLine().getErr()::println);
            return 1;
        }
        for (PlanInput r : read.inputs()) {
            if (simulate) {
                // Ready after S seconds when given; otherwise after the probes' estimated startup and readiness times.
                double s = startupSeconds != null ? startupSeconds : r.startupSeconds() + r.readinessSeconds();
                SimulatedRollout.Result result = SimulatedRollout.run(r.toSpec(), Math.round(s * 1000));
                if (output == Output.json) SimulationOutput.json(out, result);
                else SimulationOutput.text(out, r.kind() + " " + r.name(), r, s, result);
                continue;
            }
            boolean rollgate = read.behindRollgate(r);
            var plans = new PlanOutput.Plans(r, RolloutPlan.of(r, assumptions(rollgate)), RolloutPlan.of(r, assumptions(false)),
                    RolloutPlan.alternatives(r, assumptions(rollgate)), rollgate);
            if (output == Output.json) PlanOutput.json(out, plans);
            else PlanOutput.text(out, plans, rate, propagationSeconds);
        }
        out.flush();
        return 0;
    }

    private RolloutPlan.Assumptions assumptions(boolean rollgateProxy) {
        return new RolloutPlan.Assumptions(startupSeconds, rate, propagationSeconds, rollgateProxy);
    }
}
