package dev.rollgate.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The workload the JDK's ahead-of-time cache is trained on ({@code ./rollgate} runs it once per
 * build with {@code -XX:AOTCacheOutput}): the everyday commands against a daemon in a temporary
 * directory, so that their classes are found loaded and linked when a person runs them. Only the
 * commands' own classes belong there: the JVM loads every class of the cache at each start.
 */
final class StartupTraining {

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

    private StartupTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("rollgate-training-");
        try {
            Path spec = dir.resolve("training.yaml");
            Files.writeString(spec, SPEC);
            String state = dir.resolve("state").toString();
            run("--version");
            run("--help");
            run("validate", "-f", spec.toString());
            run("get", "--state-dir", state);  // no daemon yet: the error path
            // The daemon in a process of its own, as a person runs it: its classes (the proxy, the store)
            // stay out of the cache, which the JVM loads whole at every start.
            run("up", "--state-dir", state);
            try {
                run("apply", "-f", spec.toString(), "--state-dir", state);
                for (String output : List.of("", "json", "yaml")) {
                    run(output.isEmpty() ? new String[] {"get", "--state-dir", state} : new String[] {"get", "-o", output, "--state-dir", state});
                }
                run("describe", "training", "--state-dir", state);
                run("rollout", "status", "training", "--state-dir", state);
                run("rollout", "history", "training", "--state-dir", state);
                run("rollout", "pause", "training", "--state-dir", state);
                run("rollout", "resume", "training", "--state-dir", state);
                run("events", "--state-dir", state);
                run("dashboard", "--state-dir", state);
            } finally {
                run("down", "--state-dir", state);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void run(String... args) {
        var cli = Main.commandLine(args);
        cli.setOut(new PrintWriter(Writer.nullWriter()));
        cli.setErr(new PrintWriter(Writer.nullWriter()));
        cli.execute(args);
    }
}
