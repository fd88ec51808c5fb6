package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rollgate export [NAME]}: what runs, as a file {@code apply} and {@code diff} accept, so that
 * {@code rollgate diff --exit-code -f FILE} in CI says whether the file in git is what is shipped.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the live services (or one) as YAML that apply and diff accept.",
                "Each Rollout with the template it runs, the ConfigMaps it reads, its secrets by reference only (never a value)."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    LocalDaemonOptions daemon;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "One service (default: all).")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "yaml (default) or json.")
    String output;

    @Override
    public Integer call() {
        if (name != null && !name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new CliException("NAME: \"" + name + "\" is not a service name");
        }
        if (output != null && !List.of("yaml", "json").contains(output)) {
            throw new CliException("-o: unknown output format '" + output + "'; use yaml or json");
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonNode exports = daemon.client().get("/v1/export" + (name == null ? "" : "?service=" + DaemonClient.encode(name)));
        if ("json".equals(output)) {
            out.println(exports.toPrettyString());
            out.flush();
            return 0;
        }
        out.println("# rollgate export from " + daemon.dir() + " at " + Instant.now() + ".");
        out.println("# rollgate diff --exit-code -f THIS-FILE says whether it still is what runs; rollgate apply -f THIS-FILE makes it so.");
        List<JsonNode> documents = new ArrayList<>();
        for (JsonNode e : exports) {
            out.println("# service " + e.path("service").asText() + ": applied from " + e.path("baseDir").asText()
                    + " (its relative paths resolve from this file's directory)");
            for (JsonNode s : e.path("secrets")) {
                List<String> keys = new ArrayList<>();
                s.path("keys").forEach(k -> keys.add(k.asText()));
                out.println("#   reads secret " + s.path("name").asText() + " (version " + s.path("version").asInt() + ", keys "
                        + String.join(", ", keys) + "): exported by reference; where there is none, create it: rollgate secret create "
                        + s.path("name").asText() + " --from-literal KEY=VALUE");
            }
            e.path("documents").forEach(documents::add);
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setExplicitStart(true);
        Yaml yaml = new Yaml(o);
        List<String> seen = new ArrayList<>();
        for (JsonNode d : documents) {
            String key = d.path("kind").asText() + "/" + d.path("metadata").path("name").asText();
            if (seen.contains(key)) continue;   // a ConfigMap or AnalysisTemplate two services share, written once
            seen.add(key);
            out.print(yaml.dump(Json.MAPPER.convertValue(d, Object.class)));
        }
        out.flush();
        return 0;
    }
}
