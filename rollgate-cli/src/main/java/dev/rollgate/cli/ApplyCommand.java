package dev.rollgate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
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
                var previews = daemon.target().preview(file, SpecFiles.read(file));
                for (var c : previews.configMaps()) out.println("configmap/" + c.path("name").asText() + " " + c.path("result").asText() + " (dry run)");
                for (var p : previews.services()) out.println("service/" + p.name() + " " + p.result() + " (dry run)");
            }
            out.flush();
            return 0;
        }
        Target target = daemon.target();
        for (Path file : specFiles.files) {
            Target.Applied applied = target.apply(file, SpecFiles.read(file), requireDigest);
            if (Output.data(out, output, applied.data())) continue;
            applied.lines().forEach(out::println);
        }
        out.flush();
        return 0;
    }
}
