package dev.rollgate.cli;

import static dev.rollgate.cli.Cli.rollgate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PlanCommandTest {

    @Test
    void planShowsTheSeedFormulaCapacityAndAlternatives() {
        Cli.Result r = rollgate("plan", "../examples/specs/web.yaml", "--startup-seconds", "5", "--propagation-seconds", "3");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Rollout web: 4 replicas, maxSurge 25% (1), maxUnavailable 0 (0)")
                .contains("rollout time              ceil(4 / 1) x (5.0s startup + 1.0s readiness + 2s minReady) = 32.0s")
                .contains("capacity during rollout   100% to 125% of 4 replicas")
                .contains("25.0 on Kubernetes at 100 req/s with 3.0s endpoint propagation")
                .contains("  25%        25%                 2      16.0s        75%       125%");
    }

    @Test
    void simulationRunsTheController() throws Exception {
        Cli.Result r = rollgate("plan", "../examples/specs/web.yaml", "--simulate", "--startup-seconds", "5", "-o", "json");
        assertThat(r.exit()).isZero();
        JsonNode steps = new ObjectMapper().readTree(r.out()).get("steps");
        assertThat(steps.get(0).get("t").asDouble()).isZero();
        assertThat(steps.get(0).get("revisions").get(0).toString()).isEqualTo("{\"revision\":1,\"replicas\":4,\"ready\":4,\"available\":4}");
        assertThat(steps.get(0).get("revisions").get(1).toString()).isEqualTo("{\"revision\":2,\"replicas\":1,\"ready\":0,\"available\":0}");
        JsonNode last = steps.get(steps.size() - 1);
        assertThat(last.get("t").asDouble()).isEqualTo(28.0); // 4 one-replica batches x (5 s to Ready + 2 s minReadySeconds)
        assertThat(last.get("revisions").get(1).toString()).isEqualTo("{\"revision\":2,\"replicas\":4,\"ready\":4,\"available\":4}");
        for (JsonNode step : steps) {
            int total = 0, available = 0;
            for (JsonNode rev : step.get("revisions")) {
                total += rev.get("replicas").asInt();
                available += rev.get("available").asInt();
            }
            assertThat(total).isLessThanOrEqualTo(5);
            assertThat(available).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aStartupLongerThanTheProgressDeadlineEndsInProgressDeadlineExceeded() {
        // demo.yaml: progressDeadlineSeconds 15, maxSurge 1, maxUnavailable 0.
        Cli.Result slow = rollgate("plan", "../examples/specs/demo.yaml", "--simulate", "--startup-seconds", "20");
        assertThat(slow.out()).contains("ProgressDeadlineExceeded after 15.0s").contains("at least 2 available")
                .contains("then progressDeadlineAbort rolls back to revision 1");
        Cli.Result fast = rollgate("plan", "../examples/specs/demo.yaml", "--simulate", "--startup-seconds", "5");
        assertThat(fast.out()).containsPattern("complete after [0-9.]+s");
    }

    @Test
    void aCanarySimulationShowsItsStepsAndWeightsFromTheSameController() throws Exception {
        Cli.Result r = rollgate("plan", "../examples/specs/canary.yaml", "--simulate", "--startup-seconds", "3", "-o", "json");
        assertThat(r.exit()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode steps = root.get("steps");
        assertThat(root.get("complete").asBoolean()).isTrue();
        assertThat(steps.get(0).get("step").asText()).isEqualTo("step 1/6 setWeight 20");
        assertThat(steps.get(0).get("revisions").get(1).get("replicas").asInt()).as("ceil(20 % of 4)").isEqualTo(1);
        java.util.List<String> weights = new java.util.ArrayList<>();
        for (JsonNode step : steps) {
            String w = step.get("weights").path("1").asInt(0) + "/" + step.get("weights").path("2").asInt(0);
            if (weights.isEmpty() || !weights.getLast().equals(w)) weights.add(w);
        }
        assertThat(weights).containsExactly("100/0", "80/20", "50/50", "0/100");
        assertThat(r.out()).contains("waits for 'rollout promote'; promoted at once here");
        Cli.Result text = rollgate("plan", "../examples/specs/bluegreen.yaml", "--simulate", "--startup-seconds", "3");
        assertThat(text.out()).contains("preview ready, waiting for promote").contains("0/100    active").contains("complete after 3.0s");
    }

    @Test
    void badInputIsNamed() {
        Cli.Result negative = rollgate("plan", "../examples/specs/web.yaml", "--startup-seconds", "-3");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).contains("--startup-seconds must be 0 or more, got -3.0").doesNotContain("Exception");
        Cli.Result missing = rollgate("plan", "nope.yaml");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("nope.yaml: cannot read nope.yaml: no such file\n");
        Cli.Result format = rollgate("plan", "../examples/specs/web.yaml", "-o", "xml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("Invalid value for option '--output'");
    }
}
