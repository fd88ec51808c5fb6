package dev.rollgate.local.daemon;

import dev.rollgate.demo.DemoService;
import dev.rollgate.local.replica.DemoReplicas;

/** Rollout documents that run the demo service as a light JVM, for the daemon's end-to-end tests. */
final class Specs {

    private Specs() {}

    /** An AnalysisTemplate named {@code errors}: the canary judge's error test against stable, every {@code interval}. */
    static String judge(String interval) {
        return """
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: errors}
                spec:
                  metrics:
                  - name: errors-vs-stable
                    interval: %s
                    provider: {judge: {metric: errorRate, alpha: 0.001}}
                """.formatted(interval);
    }

    /**
     * @param extraSpec lines added under {@code spec:} (two-space indented), e.g. {@code "  paused: true\n"}
     * @param demoArgs  the demo service's options after {@code --version VERSION}
     */
    static String rollout(String name, int replicas, int port, String version, String extraSpec, String... demoArgs) {
        StringBuilder argv = new StringBuilder();
        argv.append("'").append(DemoReplicas.java()).append("', -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, -Xmx64m, -Xss512k, -cp, '")
                .append(DemoReplicas.classes()).append("', ").append(DemoService.class.getName()).append(", --version, ").append(version);
        for (String a : demoArgs) argv.append(", '").append(a).append("'");
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: %s}
                spec:
                  replicas: %d
                %s%s  template:
                    version: %s
                    command: [%s]
                    startupProbe:   {httpGet: {path: /health/started}, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60}
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1, timeoutSeconds: 5}
                    terminationGracePeriodSeconds: 10
                """.formatted(name, replicas, port > 0 ? "  service: {port: " + port + "}\n" : "", extraSpec, version, argv);
    }
}
