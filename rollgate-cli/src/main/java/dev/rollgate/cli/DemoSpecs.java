package dev.rollgate.cli;

import dev.rollgate.demo.DemoService;

/**
 * What {@code rollgate demo} deploys: 4 replicas of the demo service started from this very jar
 * with this very JVM, rolled with maxSurge 1 / maxUnavailable 0, and a canary judged against stable.
 */
final class DemoSpecs {

    static final int REPLICAS = 4;
    static final int V2_STARTUP_SECONDS = 3;
    static final int MIN_READY_SECONDS = 1;
    static final int PROGRESS_DEADLINE_SECONDS = 10;
    static final double V4_ERROR_RATE = 0.05;
    static final int CANARY_WEIGHT = 10;

    private DemoSpecs() {}

    /**
     * The same story on container replicas: the demo's busybox images ({@code scripts/demo-images.sh}) from a registry
     * on loopback, by tag; apply resolves each to its digest. The images carry what the process demo passes as options
     * (v2 starts slowly, v3 is never ready, v4 fails 5 % of /cgi-bin/hello), so {@code args} are not used.
     */
    static String containers(int port, String registry, String version, boolean canary) {
        return yaml(port, version, canary).replaceFirst("(?m)^    command: .*$", "    image: " + registry + "/demo-web:" + version + "\n"
                + "    resources: {limits: {memory: 32Mi, cpu: 500m}}");
    }

    /**
     * The demo's spec: the demo service started from this very jar with this very JVM. With
     * {@code canary}: error masking on, and a canary at 10 % judged against stable by an AnalysisTemplate.
     */
    static String yaml(int port, String version, boolean canary, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        StringBuilder extra = new StringBuilder();
        for (String a : args) extra.append(", '").append(a).append("'");
        String strategy = !canary ? "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n" : """
                  strategy:
                    canary:
                      abortScaleDownDelaySeconds: 2
                      analysis: {templates: [{templateName: canary-judge}], startingStep: 1}
                      steps: [{setWeight: %d}, {pause: {duration: 60s}}, {setWeight: 50}, {pause: {duration: 30s}}]
                """.formatted(CANARY_WEIGHT);
        String judge = !canary ? "" : """
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: canary-judge}
                spec:
                  metrics:
                  - name: errors-vs-stable
                    interval: 1s
                    provider: {judge: {metric: errorRate}}
                """;
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: demo}
                spec:
                  replicas: %d
                  minReadySeconds: %d
                  progressDeadlineSeconds: %d
                  progressDeadlineAbort: true
                  service: {port: %d, errorMasking: %s}
                %s  template:
                    version: %s
                    command: ['%s', -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, -Xmx64m, -Xss512k, -cp, '%s', %s, --version, %s%s]
                    startupProbe:   {httpGet: {path: /health/started}, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60}
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1, timeoutSeconds: 5}
                    livenessProbe:  {httpGet: {path: /health/live}, periodSeconds: 5, timeoutSeconds: 5}
                    lifecycle: {preStop: {sleep: {seconds: 1}}}
                    terminationGracePeriodSeconds: 10
                """.formatted(REPLICAS, MIN_READY_SECONDS, PROGRESS_DEADLINE_SECONDS, port, canary, strategy, version, java, classPath,
                DemoService.class.getName(), version, extra) + judge;
    }
}
