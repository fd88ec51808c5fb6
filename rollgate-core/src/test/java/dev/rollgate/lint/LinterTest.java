package dev.rollgate.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every check against fixtures: the good manifest set has no finding (the negative case of each
 * check), and one edit of it makes exactly that check fire (the positive case).
 */
class LinterTest {

    static final String GOOD = read("../examples/manifests/good.yaml");

    static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Finding> lint(String yaml) {
        return Linter.check(Linter.parse(yaml, "test.yaml"));
    }

    static String edit(String from, String to) {
        assertThat(GOOD).contains(from);
        return GOOD.replace(from, to);
    }

    @Test
    void theGoodSetHasNoFindingAtAll() {
        assertThat(lint(GOOD)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            readiness-probe-missing      | error   | '          readinessProbe: {httpGet: {path: /health/ready, port: 8080}, periodSeconds: 2, successThreshold: 2}\\n' | ''
            probes-identical             | warning | 'livenessProbe: {httpGet: {path: /health/live, port: 8080}, periodSeconds: 10}' | 'livenessProbe: {httpGet: {path: /health/ready, port: 8080}, periodSeconds: 2, successThreshold: 2}'
            liveness-checks-dependencies | warning | 'livenessProbe: {httpGet: {path: /health/live, port: 8080}' | 'livenessProbe: {httpGet: {path: /health/ready, port: 8080}'
            startup-probe-missing        | warning | '          startupProbe: {httpGet: {path: /health/started, port: 8080}, periodSeconds: 2, failureThreshold: 30}\n          readinessProbe: {httpGet: {path: /health/ready, port: 8080}, periodSeconds: 2, successThreshold: 2}\n          livenessProbe: {httpGet: {path: /health/live, port: 8080}, periodSeconds: 10}' | '          readinessProbe: {httpGet: {path: /health/ready, port: 8080}, periodSeconds: 2, successThreshold: 2}\n          livenessProbe: {httpGet: {path: /health/live, port: 8080}, periodSeconds: 10, initialDelaySeconds: 90}'
            readiness-success-threshold  | info    | 'periodSeconds: 2, successThreshold: 2}' | 'periodSeconds: 2}'
            exec-probe-timeout-short     | warning | 'livenessProbe: {httpGet: {path: /health/live, port: 8080}, periodSeconds: 10}' | 'livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 10}'
            surge-and-unavailable-zero   | error   | 'maxSurge: 25%, maxUnavailable: 0' | 'maxSurge: 0, maxUnavailable: 0'
            max-unavailable-all          | error   | 'maxSurge: 25%, maxUnavailable: 0' | 'maxSurge: 25%, maxUnavailable: 100%'
            single-replica               | warning | 'replicas: 3' | 'replicas: 1'
            prestop-missing              | warning | '          lifecycle: {preStop: {sleep: {seconds: 5}}}\\n' | ''
            grace-period-too-short       | error   | 'terminationGracePeriodSeconds: 30' | 'terminationGracePeriodSeconds: 5'
            pdb-missing                  | warning | '  selector: {matchLabels: {app: web}}\\n' | '  selector: {matchLabels: {app: other}}\\n'
            pdb-blocks-eviction          | error   | 'maxUnavailable: 1' | 'maxUnavailable: 0'
            no-topology-spread           | info    | '      topologySpreadConstraints:\\n        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}\\n' | ''
            image-not-pinned             | warning | 'ghcr.io/acme/web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' | 'ghcr.io/acme/web:latest'
            resources-missing            | warning | '          resources:\\n            requests: {cpu: 250m, memory: 256Mi}\\n            limits: {memory: 512Mi}\\n' | ''
            secret-in-env                | error   | '- {name: LOG_LEVEL, value: info}' | '- {name: API_TOKEN, value: s3cr3t}'
            progress-deadline-missing    | warning | '  progressDeadlineSeconds: 120\\n' | ''
            min-ready-seconds-zero       | info    | 'minReadySeconds: 10' | 'minReadySeconds: 0'
            """)
    void oneEditMakesExactlyItsCheckFire(String check, Severity severity, String from, String to) {
        List<Finding> findings = lint(edit(from.replace("\\n", "\n"), to.replace("\\n", "\n")));
        assertThat(findings).extracting(Finding::check).containsExactly(check);
        Finding f = findings.getFirst();
        assertThat(f.severity()).isEqualTo(severity);
        assertThat(f.line()).isPositive();
        assertThat(f.message()).isNotBlank();
        assertThat(f.fix()).isNotBlank();
        assertThat(f.file()).isEqualTo("test.yaml");
    }

    @Test
    void findingsNameTheObjectFieldAndLine() {
        Finding f = lint(edit("replicas: 3", "replicas: 1")).getFirst();
        assertThat(f).extracting(Finding::kind, Finding::name, Finding::namespace, Finding::path, Finding::line)
                .containsExactly("Deployment", "web", "shop", "spec.replicas", 6);
        assertThat(f.message()).startsWith("replicas: 1: one replica means downtime");
    }

    @Test
    void podsNoServiceSelectsNeedNoReadinessProbeOrPreStop() {
        String worker = edit("  selector: {app: web}\n", "  selector: {app: something-else}\n")
                .replace("          readinessProbe: {httpGet: {path: /health/ready, port: 8080}, periodSeconds: 2, successThreshold: 2}\n", "")
                .replace("          lifecycle: {preStop: {sleep: {seconds: 5}}}\n", "");
        assertThat(lint(worker)).extracting(Finding::check).doesNotContain("readiness-probe-missing", "prestop-missing", "pdb-missing");
    }

    @Test
    void anAnnotationSuppressesChecksOnItsObject() {
        String yaml = edit("metadata: {name: web, namespace: shop}\nspec:\n  replicas: 3",
                "metadata: {name: web, namespace: shop, annotations: {rollgate.dev/ignore: 'single-replica, min-ready-seconds-zero'}}\nspec:\n  replicas: 1")
                .replace("minReadySeconds: 10", "minReadySeconds: 0");
        assertThat(lint(yaml)).isEmpty();
    }

    @Test
    void anHpaWithTwoOrMoreReplicasIsNotASingleReplica() {
        String hpa = "\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\n"
                + "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 10}\n";
        assertThat(lint(edit("replicas: 3", "replicas: 1") + hpa)).isEmpty();
    }

    @Test
    void aTagWithoutDigestIsInfo() {
        List<Finding> f = lint(edit("ghcr.io/acme/web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "ghcr.io/acme/web:1.4.2"));
        assertThat(f).extracting(Finding::check, Finding::severity).containsExactly(org.assertj.core.groups.Tuple.tuple("image-not-pinned", Severity.info));
    }

    @Test
    void minAvailableEqualToReplicasBlocksEviction() {
        assertThat(lint(edit("  maxUnavailable: 1\n", "  minAvailable: 3\n"))).extracting(Finding::check).containsExactly("pdb-blocks-eviction");
        assertThat(lint(edit("  maxUnavailable: 1\n", "  minAvailable: 2\n"))).isEmpty();
    }

    @Test
    void otherWorkloadKindsAndRollgateSpecs() {
        String kinds = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 1
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: db, image: postgres}]}
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: api}
                spec:
                  replicas: 4
                  strategy: {canary: {maxSurge: 0, maxUnavailable: 0}}
                  template:
                    metadata: {labels: {app: api}}
                    spec: {containers: [{name: api, image: 'api:2', env: [{name: SECRET_KEY, value: x}]}]}
                """;
        List<Finding> f = lint(kinds);
        assertThat(f).filteredOn(x -> x.name().equals("db")).extracting(Finding::check)
                .contains("single-replica", "image-not-pinned", "resources-missing").doesNotContain("progress-deadline-missing");
        assertThat(f).filteredOn(x -> x.name().equals("api")).extracting(Finding::check)
                .contains("surge-and-unavailable-zero", "secret-in-env", "progress-deadline-missing");
        List<Finding> rollgate = Linter.lint(List.of(Path.of("../examples/specs/web.yaml"))).findings();
        assertThat(rollgate).extracting(Finding::check).doesNotContain("readiness-probe-missing", "image-not-pinned", "resources-missing");
    }

    @Test
    void anExecProbeNeedsTimeForTheRuntimeOnlyInAContainer() {
        String spec = """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: %s}
                spec:
                  replicas: 2
                  template:
                    version: v1
                    %s
                    readinessProbe: {httpGet: {path: /ready}}
                    livenessProbe: {exec: {command: [cat, /tmp/healthy]}%s}
                """;
        List<Finding> f = lint(spec.formatted("image", "image: 'web@sha256:" + "0".repeat(64) + "'", "")
                + "---\n" + spec.formatted("roomy", "image: 'web@sha256:" + "0".repeat(64) + "'", ", timeoutSeconds: 3")
                + "---\n" + spec.formatted("process", "command: [./web]", ""));
        assertThat(f).filteredOn(x -> x.check().equals("exec-probe-timeout-short")).extracting(Finding::name).containsExactly("image");
    }

    @Test
    void reportsInEveryFormat() throws Exception {
        List<Finding> f = lint(edit("replicas: 3", "replicas: 1"));
        assertThat(LintReport.text(f, false)).contains("test.yaml  Deployment shop/web", "warning single-replica  spec.replicas (line 6)",
                "fix: run at least 2 replicas", "0 error(s), 1 warning(s), 0 info");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(LintReport.json(f));
        assertThat(json.get(0).get("check").asText()).isEqualTo("single-replica");
        assertThat(json.get(0).get("line").asInt()).isEqualTo(6);
        var sarif = new com.fasterxml.jackson.databind.ObjectMapper().readTree(LintReport.sarif(f));
        assertThat(sarif.at("/version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.at("/runs/0/results/0/ruleId").asText()).isEqualTo("single-replica");
        assertThat(sarif.at("/runs/0/results/0/level").asText()).isEqualTo("warning");
        assertThat(sarif.at("/runs/0/results/0/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(6);
        assertThat(sarif.at("/runs/0/tool/driver/rules")).hasSize(Rule.ALL.size());
    }
}
