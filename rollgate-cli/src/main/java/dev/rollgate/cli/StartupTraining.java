package dev.rollgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The workloads the JDK's ahead-of-time cache is trained on ({@code ./rollgate} runs one with
 * {@code -XX:AOTCacheOutput} the first time a build runs a command): the JVM loads every class of a
 * cache at each start, so the everyday commands each get a cache of their own holding only what they
 * load, and every other command shares one trained on them all. What a workload needs but does not
 * measure (the daemon, the service it lists) is done by child processes, whose classes stay out.
 */
final class StartupTraining {

    /** The commands with a cache of their own; {@code rollgate} stands for a run without a command (--version, --help). */
    static final Set<String> OWN_CACHE = Set.of("rollgate", "validate", "get", "describe", "rollout", "events", "apply");

    private static final String SPEC = """
            apiVersion: rollgate.dev/v1alpha1
            kind: Rollout
            metadata: {name: training}
            spec:
              replicas: 0
              strategy:
                rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
              template:
                version: v1
                command: [/bin/true]
                readinessProbe: {httpGet: {path: /ready}, periodSeconds: 1}
            """;

    private final Path spec;
    private final String state;

    private StartupTraining(Path dir) throws IOException {
        this.spec = dir.resolve("training.yaml");
        Files.writeString(spec, SPEC);
        this.state = dir.resolve("state").toString();
    }

    /** {@code StartupTraining [COMMAND]}: the workload of one command of {@link #OWN_CACHE}, or of them all. */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        Path dir = Files.createTempDirectory("rollgate-training-");
        try {
            new StartupTraining(dir).train(command);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private void train(String command) throws Exception {
        switch (command) {
            case "rollgate" -> {
                run("--version");
                run("--help");
            }
            case "validate" -> run("validate", "-f", spec.toString());
            case "get" -> withService(() -> {
                for (String output : List.of("", "json", "yaml", "wide")) run(output.isEmpty() ? args("get") : args("get", "-o", output));
            });
            case "describe" -> withService(() -> run(args("describe", "training")));
            case "rollout" -> withService(() -> {
                for (String verb : List.of("status", "history", "pause", "resume")) run(args("rollout", verb, "training"));
            });
            case "events" -> withService(() -> run(args("events")));
            case "apply" -> withDaemon(() -> {
                run(args("apply", "-f", spec.toString()));
                run(args("apply", "-f", spec.toString())); // unchanged
            });
            default -> all();
        }
    }

    /** Every workload above in one JVM: the cache of the commands without one of their own. */
    private void all() throws Exception {
        run("--version");
        run("--help");
        run("validate", "-f", spec.toString());
        run(args("get"));  // no daemon yet: the error path
        run(args("up"));
        try {
            run(args("apply", "-f", spec.toString()));
            for (String output : List.of("", "json", "yaml")) run(output.isEmpty() ? args("get") : args("get", "-o", output));
            run(args("describe", "training"));
            for (String verb : List.of("status", "history", "pause", "resume")) run(args("rollout", verb, "training"));
            run(args("events"));
            run(args("dashboard"));
        } finally {
            run(args("down"));
        }
    }

    private interface Workload {
        void run() throws Exception;
    }

    /** A daemon of the training's own, started and stopped by child processes. */
    private void withDaemon(Workload w) throws Exception {
        child(args("up"));
        try {
            w.run();
        } finally {
            child(args("down"));
        }
    }

    /** As {@link #withDaemon}, with the training service applied by a child process. */
    private void withService(Workload w) throws Exception {
        withDaemon(() -> {
            child(args("apply", "-f", spec.toString()));
            w.run();
        });
    }

    private String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state-dir", state));
        return all.toArray(String[]::new);
    }

    /** A command in this JVM: its classes go to the cache. */
    private static void run(String... args) {
        var cli = Main.commandLine(args);
        cli.setOut(new PrintWriter(Writer.nullWriter()));
        cli.setErr(new PrintWriter(Writer.nullWriter()));
        cli.execute(args);
    }

    /** A command in a JVM of its own (this one's program and class path): its classes stay out of the cache. */
    private static void child(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        argv.addAll(List.of(args));
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
