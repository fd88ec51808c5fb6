package dev.rollgate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.controller.Verb;
import dev.rollgate.testkit.kubernetes.MockCluster;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whole rollouts on fabric8's mock API, run by the operator, with a simulated ReplicaSet controller and kubelet. */
class KubernetesRolloutTest {

    static final String NS = "shop";

    MockCluster cluster;
    RolloutOperator operator;

    @RegisterExtension
    final FailureReport report = new FailureReport(() -> cluster, () -> operator);

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster(Crds.all(), "shop", "rollgate-system");
        operator = RolloutOperator.start(cluster.client, new RolloutOperator.Options(NS, null, 0));
    }

    @AfterEach
    void stop() {
        if (operator != null) operator.close();
        cluster.close();
    }

    static String rolling(String version) {
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 4
                  progressDeadlineSeconds: 30
                  service: {port: 80}
                  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  template:
                    version: %s
                    image: registry.example/web:%s
                    ports: [{name: http, containerPort: 8080}]
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1}
                """.formatted(version, version);
    }

    RolloutResource rollout() {
        return cluster.client.resources(RolloutResource.class).inNamespace(NS).withName("web").get();
    }

    String phase() {
        RolloutResource r = rollout();
        return r == null || r.getStatus() == null ? "" : String.valueOf(r.getStatus().get("phase"));
    }

    /** Revision number to ReplicaSet size. */
    Map<Integer, Integer> sizes() {
        Map<Integer, Integer> m = new java.util.TreeMap<>();
        for (ReplicaSet rs : cluster.client.apps().replicaSets().inNamespace(NS).withLabel(Labels.ROLLOUT, "web").list().getItems()) {
            m.put(Integer.parseInt(rs.getMetadata().getAnnotations().get(Labels.REVISION)), rs.getSpec().getReplicas());
        }
        return m;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "operator restarted in the middle: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aRollingUpdateScalesReplicaSetsAsPlanSimulateSays(boolean restart) throws Exception {
        ClusterApply.apply(cluster.client, NS, rolling("v1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete"));
        assertThat(sizes()).isEqualTo(Map.of(1, 4));
        ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace(NS).withLabel(Labels.ROLLOUT, "web").list().getItems().getFirst();
        assertThat(rs.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("Rollout"));
        assertThat(rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("registry.example/web:v1");

        List<Map<Integer, Integer>> seen = new ArrayList<>();
        ClusterApply.apply(cluster.client, NS, rolling("v2"));
        boolean[] restarted = {!restart};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            Map<Integer, Integer> s = sizes();
            if (seen.isEmpty() || !seen.getLast().equals(s)) seen.add(s);
            if (!restarted[0] && s.getOrDefault(2, 0) == 2) {
                restartOperator(); // half way: a new operator takes over from what the Rollout's status says
                restarted[0] = true;
            }
            return phase().equals("Complete") && s.getOrDefault(2, 0) == 4 && s.getOrDefault(1, 0) == 0;
        });
        assertThat(restarted[0]).isTrue();
        // The same controller in virtual time: the ReplicaSet sizes it goes through, in order.
        var plan = dev.rollgate.simulation.SimulatedRollout.run(dev.rollgate.spec.SpecParser.parse(rolling("v2")).getFirst().spec(), 300);
        List<Map<Integer, Integer>> planned = new ArrayList<>();
        for (var step : plan.steps()) {
            Map<Integer, Integer> m = new java.util.TreeMap<>();
            step.revisions().forEach(c -> m.put(c.revision(), c.replicas()));
            if (planned.isEmpty() || !planned.getLast().equals(m)) planned.add(m);
        }
        assertThat(seen).containsSubsequence(planned);
        assertThat(seen).allSatisfy(s -> assertThat(s.values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> operator.metrics().contains("rollgate_rollout_phase{namespace=\"shop\",service=\"web\",phase=\"Complete\"} 1"));
        assertThat(operator.metrics()).contains("rollgate_rollout_revision{namespace=\"shop\",service=\"web\"} 2");
        assertThat(cluster.client.services().inNamespace(NS).withName("web").get().getSpec().getSelector())
                .isEqualTo(Map.of(Labels.ROLLOUT, "web"));
    }

    // ---- canary through a Gateway API HTTPRoute, judged by Prometheus -------------------------------------------------

    private final java.util.concurrent.atomic.AtomicReference<String> successRate = new java.util.concurrent.atomic.AtomicReference<>("0.99");
    private com.sun.net.httpserver.HttpServer prometheus;

    /** The revision (template hash) whose latency histogram is the fast one; every other revision's is slower. Null: all fast. */
    private final java.util.concurrent.atomic.AtomicReference<String> fastRevision = new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * A stub of Prometheus' query API: a histogram query (by le) answers the revision's latency
     * buckets, every other query the scalar in {@link #successRate}.
     */
    int prometheus() throws Exception {
        prometheus = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 8);
        prometheus.createContext("/api/v1/query", ex -> {
            String query = java.net.URLDecoder.decode(ex.getRequestURI().getRawQuery().substring("query=".length()),
                    java.nio.charset.StandardCharsets.UTF_8);
            String data;
            if (query.contains("_bucket")) {
                var m = java.util.regex.Pattern.compile("pod_template_hash=\"([^\"]+)\"").matcher(query);
                boolean fast = !m.find() || fastRevision.get() == null || m.group(1).equals(fastRevision.get());
                double[] counts = fast ? new double[] {800, 950, 1000, 1000} : new double[] {100, 500, 990, 1000};
                String[] les = {"0.05", "0.1", "0.25", "+Inf"};
                StringBuilder v = new StringBuilder("{\"resultType\":\"vector\",\"result\":[");
                for (int i = 0; i < les.length; i++) {
                    v.append(i == 0 ? "" : ",").append("{\"metric\":{\"le\":\"").append(les[i]).append("\"},\"value\":[0,\"")
                            .append(counts[i]).append("\"]}");
                }
                data = v.append("]}").toString();
            } else {
                data = "{\"resultType\":\"scalar\",\"result\":[0,\"" + successRate.get() + "\"]}";
            }
            byte[] b = ("{\"status\":\"success\",\"data\":" + data + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        prometheus.start();
        return prometheus.getAddress().getPort();
    }

    @AfterEach
    void stopPrometheus() {
        if (prometheus != null) prometheus.stop(0);
    }

    static String canary(String version, int prometheusPort) {
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 4
                  progressDeadlineSeconds: 30
                  service: {port: 80}
                  strategy:
                    canary:
                      scaleDownDelaySeconds: 1
                      abortScaleDownDelaySeconds: 1
                      trafficRouting: {gatewayAPI: {httpRoute: web-route}}
                      steps:
                      - setWeight: 25
                      - setHeaderRoute: {name: beta, match: [{headerName: X-Beta, headerValue: {exact: "1"}}]}
                      - analysis: {templates: [{templateName: success}]}
                      - setWeight: 50
                      - pause: {duration: 1s}
                  template:
                    version: %s
                    image: registry.example/web:%s
                    ports: [{name: http, containerPort: 8080}]
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: success}
                spec:
                  metrics:
                  - name: success-rate
                    initialDelay: 2s
                    successCondition: result >= 0.95
                    provider: {prometheus: {address: "http://127.0.0.1:%d", query: "sum(rate(http_requests_total{code!~\\"5..\\"}[1m]))"}}
                  - name: latency-vs-stable
                    initialDelay: 2s
                    provider:
                      judge:
                        metric: latency
                        window: 30s
                        prometheus:
                          address: "http://127.0.0.1:%d"
                          latency: sum by (le) (increase(http_request_duration_seconds_bucket{pod_template_hash="{{revision}}"}[{{window}}]))
                """.formatted(version, version, prometheusPort, prometheusPort);
    }

    private void createRoute() {
        var route = new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder().withNewMetadata().withName("web-route").withNamespace(NS)
                .endMetadata().withNewSpec().addNewParentRef().withName("gateway").endParentRef()
                .addNewRule().addNewBackendRef().withName("web").withPort(80).endBackendRef().endRule().endSpec().build();
        cluster.client.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(NS).resource(route).create();
    }

    /** The route's split: backend Service name to weight, from its last rule. */
    Map<String, Integer> weights() {
        var route = cluster.client.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(NS).withName("web-route").get();
        Map<String, Integer> m = new java.util.TreeMap<>();
        route.getSpec().getRules().getLast().getBackendRefs().forEach(b -> m.put(b.getName(), b.getWeight() == null ? 1 : b.getWeight()));
        return m;
    }

    String selectorHash(String service) {
        return cluster.client.services().inNamespace(NS).withName(service).get().getSpec().getSelector().get(Labels.POD_TEMPLATE_HASH);
    }

    String hashOfRevision(int revision) {
        return cluster.client.apps().replicaSets().inNamespace(NS).withLabel(Labels.ROLLOUT, "web").list().getItems().stream()
                .filter(rs -> rs.getMetadata().getAnnotations().get(Labels.REVISION).equals(Integer.toString(revision)))
                .map(rs -> rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH)).findFirst().orElseThrow();
    }

    void restartOperator() throws Exception {
        operator.close();
        operator = RolloutOperator.start(cluster.client, new RolloutOperator.Options(NS, null, 0));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "operator restarted in the middle: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aCanaryMovesTheRouteWeightsStepByStepWhilePrometheusSaysItIsHealthy(boolean restart) throws Exception {
        int port = prometheus();
        createRoute();
        ClusterApply.apply(cluster.client, NS, canary("v1", port));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete"));
        ClusterApply.apply(cluster.client, NS, canary("v2", port));
        await().atMost(Duration.ofSeconds(30)).until(() -> weights().equals(Map.of("web-stable", 75, "web-canary", 25)));
        assertThat(sizes()).as("ceil(25 %% of 4) canary beside a full stable").isEqualTo(Map.of(1, 4, 2, 1));
        assertThat(selectorHash("web-canary")).isEqualTo(hashOfRevision(2));
        assertThat(selectorHash("web-stable")).isEqualTo(hashOfRevision(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> rollout().getSpec() != null && cluster.client
                .resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(NS).withName("web-route").get()
                .getSpec().getRules().size() == 2);
        var beta = cluster.client.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(NS).withName("web-route")
                .get().getSpec().getRules().getFirst();
        assertThat(beta.getMatches().getFirst().getHeaders().getFirst().getName()).isEqualTo("X-Beta");
        assertThat(beta.getBackendRefs()).singleElement().satisfies(b -> assertThat(b.getName()).isEqualTo("web-canary"));
        if (restart) restartOperator();
        await().atMost(Duration.ofSeconds(30)).until(() -> weights().equals(Map.of("web-stable", 50, "web-canary", 50)));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete") && selectorHash("web-stable").equals(hashOfRevision(2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> weights().equals(Map.of("web-stable", 100, "web-canary", 0)));
        await().atMost(Duration.ofSeconds(30)).until(() -> sizes().equals(Map.of(1, 0, 2, 4)));
        var events = cluster.client.v1().events().inNamespace(NS).list().getItems();
        assertThat(events).extracting(e -> e.getReason()).contains("RolloutStarted", "StepCompleted", "RolloutPromoted", "RolloutCompleted");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "operator restarted in the middle: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aCanaryThatPrometheusFindsUnhealthyIsAbortedWithEveryRequestBackOnStable(boolean restart) throws Exception {
        int port = prometheus();
        createRoute();
        ClusterApply.apply(cluster.client, NS, canary("v1", port));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete"));
        // One way to fail without the restart, the other with it: the success rate, or the judge on the latency histograms.
        if (restart) fastRevision.set(hashOfRevision(1));
        else successRate.set("0.50");
        ClusterApply.apply(cluster.client, NS, canary("v2", port));
        await().atMost(Duration.ofSeconds(30)).until(() -> weights().equals(Map.of("web-stable", 75, "web-canary", 25)));
        if (restart) restartOperator();
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Aborted"));
        // The status is stored before the route is changed: the route follows at once.
        await().atMost(Duration.ofSeconds(10)).until(() -> weights().equals(Map.of("web-stable", 100, "web-canary", 0)));
        assertThat(String.valueOf(rollout().getStatus().get("message"))).contains("analysis at step 3 Failed")
                .contains(restart ? "metric latency-vs-stable: 1 failed" : "metric success-rate: 1 failed");
        await().atMost(Duration.ofSeconds(30)).until(() -> sizes().equals(Map.of(1, 4, 2, 0)));
    }

    static String baked(String version, int prometheusPort) {
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 4
                  service: {port: 80}
                  strategy:
                    canary:
                      scaleDownDelaySeconds: 1
                      abortScaleDownDelaySeconds: 1
                      trafficRouting: {gatewayAPI: {httpRoute: web-route}}
                      steps: [{setWeight: 50}, {pause: {duration: 1s}}]
                      bake:
                        duration: 10m
                        keepPrevious: 2
                        analysis: {templates: [{templateName: success}]}
                  template:
                    version: %s
                    image: registry.example/web:%s
                    ports: [{name: http, containerPort: 8080}]
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: success}
                spec:
                  metrics:
                  - name: success-rate
                    interval: 1s
                    successCondition: result >= 0.95
                    provider: {prometheus: {address: "http://127.0.0.1:%d", query: "sum(rate(http_requests_total{code!~\\"5..\\"}[1m]))"}}
                """.formatted(version, version, prometheusPort);
    }

    @Test
    void aBakeKeepsTheOldReplicaSetScaledOutOfTheRouteAndGoesBackToItWhenPrometheusFindsTheReleaseBad() throws Exception {
        int port = prometheus();
        createRoute();
        ClusterApply.apply(cluster.client, NS, baked("v1", port));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete"));
        ClusterApply.apply(cluster.client, NS, baked("v2", port));
        // Users on v2; v1 warm behind web-canary with no weight (the Services and the route are written one after another).
        await().atMost(Duration.ofSeconds(30)).until(() -> sizes().equals(Map.of(1, 2, 2, 4)) && selectorHash("web-stable").equals(hashOfRevision(2))
                && selectorHash("web-canary").equals(hashOfRevision(1)) && weights().equals(Map.of("web-stable", 100, "web-canary", 0)));
        assertThat(phase()).isEqualTo("Complete");
        String v1 = hashOfRevision(1);
        restartOperator(); // the bake is in the Rollout's status: a new operator carries on with it

        successRate.set("0.50");
        await().atMost(Duration.ofSeconds(30)).until(() -> selectorHash("web-stable").equals(v1) && weights().equals(Map.of("web-stable", 100, "web-canary", 0)));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("RolledBack"));
        assertThat(String.valueOf(rollout().getStatus().get("message"))).contains("rolled back during its bake");
        await().atMost(Duration.ofSeconds(30)).until(() -> sizes().equals(Map.of(2, 0, 3, 4)));
        var events = cluster.client.v1().events().inNamespace(NS).list().getItems();
        assertThat(events).extracting(e -> e.getReason()).contains("BakeStarted", "AnalysisFailed", "BakeRolledBack");
    }

    // ---- blue-green, the deadline, workloadRef -------------------------------------------------------------------------

    static String blueGreen(String version) {
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 2
                  service: {port: 80}
                  strategy:
                    blueGreen:
                      autoPromotionEnabled: false
                      scaleDownDelaySeconds: 1
                  template:
                    version: %s
                    image: registry.example/web:%s
                    ports: [{containerPort: 8080}]
                """.formatted(version, version);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "operator restarted in the middle: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void blueGreenPreviewsBesideActiveAndSwitchesTheActiveServiceOnPromote(boolean restart) throws Exception {
        ClusterApply.apply(cluster.client, NS, blueGreen("v1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete"));
        ClusterApply.apply(cluster.client, NS, blueGreen("v2"));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Paused"));
        assertThat(sizes()).isEqualTo(Map.of(1, 2, 2, 2));
        assertThat(selectorHash("web-active")).isEqualTo(hashOfRevision(1));
        assertThat(selectorHash("web-preview")).isEqualTo(hashOfRevision(2));
        if (restart) restartOperator();
        ClusterRollouts rollouts = new ClusterRollouts(cluster.client, NS, Duration.ofSeconds(30));
        assertThat(rollouts.ask("web", new Verb.Promote(false))).isInstanceOf(dev.rollgate.controller.VerbResult.Done.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> selectorHash("web-active").equals(hashOfRevision(2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete") && sizes().equals(Map.of(1, 0, 2, 2)));
        assertThat(rollouts.ask("web", new Verb.Promote(false))).isEqualTo(new dev.rollgate.controller.VerbResult.Refused(
                dev.rollgate.controller.VerbResult.Kind.CONFLICT, "web has no rollout in progress (it is on its stable revision)"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "operator restarted in the middle: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aRevisionThatNeverBecomesReadyIsRolledBackAtItsDeadline(boolean restart) throws Exception {
        String v1 = rolling("v1").replace("progressDeadlineSeconds: 30", "progressDeadlineSeconds: 3\n  progressDeadlineAbort: true");
        String v2 = rolling("v2").replace("progressDeadlineSeconds: 30", "progressDeadlineSeconds: 3\n  progressDeadlineAbort: true");
        ClusterApply.apply(cluster.client, NS, v1);
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete"));
        cluster.readyAfter(hash -> hash.equals(hashOfRevision(1)) ? Duration.ofMillis(300) : MockCluster.NEVER);
        ClusterApply.apply(cluster.client, NS, v2);
        await().atMost(Duration.ofSeconds(10)).until(() -> sizes().getOrDefault(2, 0) == 1);
        if (restart) restartOperator();
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("RolledBack"));
        RolloutResource r = rollout();
        assertThat(String.valueOf(r.getStatus().get("message"))).contains("made no progress for 3s (progressDeadlineSeconds); rolling back to revision 1 (v1)");
        assertThat(sizes()).as("v1's template back as revision 3, v2 at zero").isEqualTo(Map.of(2, 0, 3, 4));
        assertThat(r.getSpec().get("template").toString()).as("the spec keeps what the user wrote").contains("v2");
        assertThat(r.getStatus().get(ClusterStatus.OVERRIDE).toString()).contains("web:v1");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "operator restarted in the middle: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aRolloutTakesOverAnExistingDeploymentAndScalesItDownAsItsOwnReplicasBecomeAvailable(boolean restart) throws Exception {
        var deployment = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withName("web").withNamespace(NS)
                .endMetadata().withNewSpec().withReplicas(4).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .addNewContainer().withName("web").withImage("registry.example/web:v1").endContainer().endSpec().endTemplate().endSpec().build();
        cluster.client.apps().deployments().inNamespace(NS).resource(deployment).create();
        var own = new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build();
        cluster.client.services().inNamespace(NS).resource(own).create();
        ClusterApply.apply(cluster.client, NS, """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 4
                  workloadRef: {name: web}
                  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  template: {version: v1}
                """);
        if (restart) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sizes().getOrDefault(1, 0) > 0);
            restartOperator();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete"));
        ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace(NS).withLabel(Labels.ROLLOUT, "web").list().getItems().getFirst();
        var pod = rs.getSpec().getTemplate();
        assertThat(pod.getSpec().getContainers().getFirst().getImage()).isEqualTo("registry.example/web:v1");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web").containsEntry(Labels.ROLLOUT, "web");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.client.apps().deployments().inNamespace(NS).withName("web").get()
                .getSpec().getReplicas() == 0);
        assertThat(cluster.client.services().inNamespace(NS).withName("web").get().getSpec().getSelector())
                .as("the user's own Service is left as it was: it selects the Deployment's labels, which the Rollout's pods carry too")
                .isEqualTo(Map.of("app", "web"));
        cluster.client.resources(RolloutResource.class).inNamespace(NS).withName("web").delete();
        await("deleting the Rollout gives the Deployment its replicas back").atMost(Duration.ofSeconds(10))
                .until(() -> cluster.client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas() == 4);
    }
}
