package dev.rollgate.cli;

import dev.rollgate.lint.Linter;
import dev.rollgate.lint.Manifest;
import dev.rollgate.lint.Workload;
import dev.rollgate.plan.PlanInput;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.SpecError;
import dev.rollgate.spec.SpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What {@code rollgate plan} plans, read from one file: every Rollgate Rollout, Deployment,
 * StatefulSet or Argo Rollout in it, or the errors that say why there is nothing to plan.
 *
 * @param rollgateNames the names of the Rollgate specs among them (they run behind Rollgate's proxy)
 */
record PlanInputs(List<PlanInput> inputs, List<String> rollgateNames, List<String> errors) {

    static PlanInputs read(Path file) {
        List<Manifest> manifests;
        try {
            manifests = Linter.parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            return failed(file + ": cannot read " + file + ": no such file");
        } catch (IOException | YAMLException e) {
            return failed(file + ": cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        List<PlanInput> inputs = new ArrayList<>();
        if (manifests.stream().anyMatch(Manifest::isRollgate)) {
            try {
                SpecParser.parseFile(file).forEach(r -> inputs.add(PlanInput.of(r)));
            } catch (InvalidSpecException e) {
                return new PlanInputs(List.of(), List.of(), e.errors().stream().map(SpecError::toString).map(s -> file + ": " + s).toList());
            }
        }
        for (Manifest m : manifests) {
            Workload w = m.isRollgate() ? null : Workload.of(m);
            if (w != null && w.replicas() != null) inputs.add(PlanInput.of(w));
        }
        if (inputs.isEmpty()) {
            return failed(file + ": no rollout-like object (Deployment, StatefulSet, Argo Rollout or Rollgate Rollout) to plan");
        }
        List<String> rollgate = manifests.stream().filter(Manifest::isRollgate).map(Manifest::name).toList();
        return new PlanInputs(inputs, rollgate, List.of());
    }

    private static PlanInputs failed(String error) {
        return new PlanInputs(List.of(), List.of(), List.of(error));
    }

    /** Whether {@code r} runs behind Rollgate's proxy (no Kubernetes endpoint propagation to wait for). */
    boolean behindRollgate(PlanInput r) {
        return r.kind().equals("Rollout") && r.cpuRequest() == 0 && r.memoryRequest() == 0 && rollgateNames.contains(r.name());
    }
}
