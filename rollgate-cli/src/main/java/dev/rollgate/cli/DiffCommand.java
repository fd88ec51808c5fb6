package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.plan.ApplyPreview;
import dev.rollgate.spec.SpecDiff;
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

/** {@code rollgate diff -f FILE}: what {@code apply} would do, decided by the daemon (or on the cluster) after the same checks, with nothing changed. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what 'rollgate apply -f FILE' would do, changing nothing.",
                "Says each service created, configured or unchanged,",
                "the fields that differ from the spec in force, and whether a new revision would roll out (or an old one come back).",
                "The file goes through every check apply makes. With --exit-code, exits 1 when anything would change, as git diff does."})
final class DiffCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions daemon;

    @Mixin
    SpecFiles specFiles;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the previews as data.")
    String output;

    @Option(names = "--exit-code", description = "Exit 1 when applying would change anything, 0 when it would not.")
    boolean exitCode;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ApplyPreview> all = new ArrayList<>();
        List<JsonNode> configMaps = new ArrayList<>();
        for (Path file : specFiles.files) {
            Previews p = daemon.target().preview(file, SpecFiles.read(file));
            all.addAll(p.services());
            configMaps.addAll(p.configMaps());
        }
        if (!Output.data(out, output, Json.MAPPER.valueToTree(Map.of("preview", all, "configMaps", configMaps)))) {
            for (JsonNode c : configMaps) {
                out.println("configmap/" + c.path("name").asText() + " " + c.path("result").asText()
                        + (c.path("result").asText().equals("unchanged") ? "" : ": version " + c.path("version").asInt()));
                c.path("changes").forEach(line -> out.println("  " + line.asText()));
            }
            for (ApplyPreview p : all) {
                out.println("service/" + p.name() + " " + p.result() + (p.result().equals("unchanged") ? "" : ": " + p.rollout()));
                for (SpecDiff.Change c : p.changes()) out.println("  " + c);
            }
        }
        out.flush();
        boolean changes = all.stream().anyMatch(p -> !p.result().equals("unchanged"))
                || configMaps.stream().anyMatch(c -> !c.path("result").asText().equals("unchanged"));
        return exitCode && changes ? 1 : 0;
    }

    /** What apply would do to the services and to the ConfigMaps of one file. */
    record Previews(List<ApplyPreview> services, List<JsonNode> configMaps) {}
}
