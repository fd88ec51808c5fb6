package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.kubernetes.ClusterApply;
import dev.rollgate.kubernetes.ClusterRollouts;
import dev.rollgate.spec.ImageReference;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.SpecParser;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate apply -f FILE}: sends a spec to the daemon, which rolls it out. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Apply a spec: create the service, or roll out its new template by the spec's strategy.",
                "Re-applying an unchanged template changes nothing (so an undo or restart stays in place)."})
final class ApplyCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions daemon;

    @Mixin
    SpecFiles specFiles;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the result as data.")
    String output;

    @Option(names = "--dry-run", description = "Check the file and say what apply would do, changing nothing (rollgate diff shows the fields too).")
    boolean dryRun;

    @Option(names = "--require-digest", description = "Refuse an image named by a tag only: it must be written NAME@sha256:… (as spec.requireDigest).")
    boolean requireDigest;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            for (Path file : specFiles.files) {
                var previews = DiffCommand.previews(daemon, file, SpecFiles.read(file));
                for (var c : previews.configMaps()) out.println("configmap/" + c.path("name").asText() + " " + c.path("result").asText() + " (dry run)");
                for (var p : previews.services()) out.println("service/" + p.name() + " " + p.result() + " (dry run)");
            }
            out.flush();
            return 0;
        }
        DaemonClient client = daemon.cluster() ? null : daemon.client();
        var cluster = daemon.cluster() ? daemon.rollouts() : null;
        for (Path file : specFiles.files) {
            String text = SpecFiles.read(file);
            if (cluster != null) {
                applyToCluster(out, cluster, file, text);
                continue;
            }
            Path base = file.toAbsolutePath().normalize().getParent();
            JsonNode result = client.post("/v1/apply" + (requireDigest ? "?requireDigest=true" : ""), Map.of("document", text, "baseDir", base.toString(), "source", file.toString()));
            if (Output.data(out, output, result)) continue;
            for (JsonNode a : result.path("applied")) out.println(a.path("kind").asText("service") + "/" + a.path("name").asText() + " " + a.path("result").asText());
        }
        out.flush();
        return 0;
    }

    /** {@code --require-digest} on a cluster: every template's image carries its digest, or nothing is applied. */
    private static void refuseTags(Path file, String text) throws InvalidSpecException {
        List<String> tags = new ArrayList<>();
        for (var r : SpecParser.parse(text)) {
            String image = r.spec().template().image();
            if (image != null) {
                ImageReference.parse(image).refusedBy("--require-digest")
                        .ifPresent(why -> tags.add(file + ": " + r.name() + ": spec.template.image: " + why));
            }
        }
        if (!tags.isEmpty()) throw new CliException(file + ": the images are refused; nothing was applied", tags);
    }

    /** The file's Rollouts and AnalysisTemplates, created or updated in the namespace; the operator rolls them out. */
    private void applyToCluster(PrintWriter out, ClusterRollouts cluster, Path file, String text) {
        try {
            if (requireDigest) refuseTags(file, text);
            var applied = ClusterApply.apply(cluster.client(), cluster.namespace(), text);
            if (Output.data(out, output, Json.MAPPER.valueToTree(Map.of("applied", applied)))) return;
            for (var a : applied) out.println(switch (a.kind()) {
                case "Rollout" -> "service/";
                case "ConfigMap" -> "configmap/";
                default -> "analysistemplate/";
            } + a.name() + " " + a.result());
        } catch (InvalidSpecException e) {
            throw new CliException(file + ": the spec is not valid; nothing was applied",
                    e.errors().stream().map(err -> file + ": " + err).toList());
        } catch (KubernetesClientException e) {
            throw new CliException(file + ": " + Clusters.problem(e));
        }
    }
}
