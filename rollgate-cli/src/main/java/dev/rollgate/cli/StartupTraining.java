package dev.rollgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The workloads the JDK's ahead-of-time cache is trained on ({@code ./rollgate} runs one with
 * {@code -XX:AOTCacheOutput} the first time a build runs a command): the JVM loads every class of a
 * cache at each start, so the everyday commands each get a cache of their own holding only what they
 * load, and every other command shares one trained on them all. What a workload needs but does not
 * measure (the daemon, the service it lists) is done by child processes, whose classes stay out.
 */
final class StartupTraining {

    /**
     * The commands with a cache of their own: {@code version} stands for {@code --version}, {@code rollgate} for a run
     * without a command ({@code --help}). A cache holds one command's everyday path only: each class more in it is
     * loaded at every start of that command (a {@code get} cache that also held {@code -o json}'s Jackson started
     * 27 ms slower); the other paths ({@code get -o json}) start from the shared cache.
     */
    static final Set<String> OWN_CACHE = Set.of("version", "rollgate", "validate", "get", "describe", "rollout", "events", "apply");

    static final String SPEC = """
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

    /** What {@code validate} is trained on: the spec's common shapes, so that a real spec loads few classes beyond the cache. */
    static final String RICH_SPEC = """
            apiVersion: rollgate.dev/v1alpha1
            kind: Rollout
            metadata: {name: web}
            spec:
              replicas: 2
              minReadySeconds: 1
              progressDeadlineSeconds: 15
              progressDeadlineAbort: true
              service: {port: 18080}
              strategy:
                rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
              template:
                version: v1
                command: [./server, --port, "$(PORT)"]
                env:
                - {name: MODE, value: fast}
                - name: LOG_LEVEL
                  valueFrom: {configMapKeyRef: {name: web-config, key: LOG_LEVEL}}
                - name: DB_PASSWORD
                  valueFrom: {secretKeyRef: {name: db, key: password}}
                volumes: [{name: db, secret: {secretName: db}}]
                volumeMounts: [{name: db, mountPath: /etc/db}]
                startupProbe:   {httpGet: {path: /started}, periodSeconds: 1, failureThreshold: 30}
                readinessProbe: {tcpSocket: {}, periodSeconds: 1, successThreshold: 2}
                livenessProbe:  {exec: {command: [test, -f, /tmp/alive]}, periodSeconds: 5, timeoutSeconds: 2}
                lifecycle: {preStop: {sleep: {seconds: 1}}}
                terminationGracePeriodSeconds: 10
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: Rollout
            metadata: {name: shop}
            spec:
              replicas: 4
              service: {port: 18090, errorMasking: true}
              strategy:
                canary:
                  analysis: {templates: [{templateName: judged}], startingStep: 1}
                  steps:
                  - setCanaryScale: {replicas: 1}
                  - setMirrorRoute: {name: shadow, percentage: 100}
                  - setMirrorRoute: {name: shadow}
                  - setWeight: 20
                  - pause: {duration: 20s}
                  - analysis: {templates: [{templateName: judged}]}
                  - pause: {}
                  bake: {duration: 10m, keepPrevious: 2, analysis: {templates: [{templateName: smoke}]}}
              template:
                version: v1
                command: [./server]
                readinessProbe: {httpGet: {path: /ready}, periodSeconds: 1}
                lifecycle: {preStop: {exec: {command: [./drain]}}}
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: Rollout
            metadata: {name: cart}
            spec:
              replicas: 2
              service: {port: 18070}
              webhooks: [{url: "http://127.0.0.1:18079/hook", events: [RolloutPromoted, RolloutAborted]}]
              strategy:
                blueGreen:
                  previewPort: 18071
                  autoPromotionEnabled: false
                  prePromotionAnalysis: {templates: [{templateName: smoke}]}
              template:
                version: v1
                image: 127.0.0.1:5000/cart:v1
                ports: [{name: http, containerPort: 8080}]
                resources: {limits: {memory: 32Mi, cpu: 500m}}
                readinessProbe: {httpGet: {path: /ready}, periodSeconds: 1}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-config}
            data: {LOG_LEVEL: info}
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: judged}
            spec:
              args: [{name: min, value: "0.99"}]
              metrics:
              - name: errors
                interval: 1s
                provider: {judge: {metric: errorRate}}
              - name: success-rate
                interval: 2s
                count: 3
                successCondition: isNaN(result) || result >= {{args.min}}
                provider: {builtin: {metric: successRate, revision: canary, window: 10s}}
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: smoke}
            spec:
              metrics:
              - name: preview-answers
                provider: {job: {command: [curl, -fsS, "http://127.0.0.1:18071/"], timeoutSeconds: 10}}
              - name: load
                provider: {load: {rate: 20, duration: 10s, requests: ["GET /"]}}
              - name: mirrored
                interval: 1s
                provider: {judge: {metric: mirror, tolerance: 1}}
            """;

    private final Path dir;
    private final Path spec;
    private final String state;

    private StartupTraining(Path dir) {
        this.dir = dir;
        this.spec = dir.resolve("training.yaml");
        this.state = dir.resolve("state").toString();
    }

    /**
     * {@code StartupTraining COMMAND DIR}: the workload of one command of {@link #OWN_CACHE}, or of them all, with
     * its files (a spec, a state directory) in DIR, which the caller removes. Everything the harness does beyond
     * the commands goes to the cache too and so is kept to little: no temporary directory of its own (its random
     * name loads the security providers), no removal, no System.exit (it loads the JDK's loggers).
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) throw new IllegalArgumentException("usage: StartupTraining COMMAND DIR");
        new StartupTraining(Path.of(args[1])).train(args[0]);
        if (!Main.onlyThreadLeft()) System.exit(0);
    }

    /** {@link #RICH_SPEC} in a file. */
    private String richSpec() throws IOException {
        Path file = dir.resolve("rich.yaml");
        Files.createDirectories(dir);
        Files.writeString(file, RICH_SPEC);
        return file.toString();
    }

    /** The training's spec, written once. */
    private String spec() throws IOException {
        if (!Files.exists(spec)) {
            Files.createDirectories(dir);
            Files.writeString(spec, SPEC);
        }
        return spec.toString();
    }

    private void train(String command) throws Exception {
        switch (command) {
            case "version" -> run("--version");
            case "rollgate" -> {
                run();
                run("--help");
            }
            case "validate" -> run("validate", "-f", richSpec());
            case "get" -> withService(() -> {
                run(args("get"));
                run(args("get", "-o", "wide"));
            });
            case "describe" -> withService(() -> run(args("describe", "training")));
            case "rollout" -> withService(() -> {
                for (String verb : List.of("status", "history", "pause", "resume")) run(args("rollout", verb, "training"));
            });
            case "events" -> withService(() -> run(args("events")));
            case "apply" -> withDaemon(() -> {
                run(args("apply", "-f", spec()));
                run(args("apply", "-f", spec())); // unchanged
            });
            default -> all();
        }
    }

    /** Every workload above in one JVM: the cache of the commands without one of their own. */
    private void all() throws Exception {
        run("--version");
        run("--help");
        run("validate", "-f", richSpec());
        run(args("get"));  // no daemon yet: the error path
        run(args("up"));
        try {
            run(args("apply", "-f", spec()));
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
            child(args("apply", "-f", spec()));
            w.run();
        });
    }

    private String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state-dir", state));
        return all.toArray(String[]::new);
    }

    /** A command in this JVM, printing where it would (the launcher sends that nowhere): its classes go to the cache. */
    private static void run(String... args) {
        Main.commandLine(args).execute(args);
    }

    /** A command in a JVM of its own (this one's program and class path): its classes stay out of the cache. */
    private static void child(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        argv.addAll(List.of(args));
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
