package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's main command, run once end to end. */
class DemoCommandTest {

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void demoRollsToV2AbortsV3AndLosesNoRequest() {
        Cli.Result run = Cli.rollgate("demo");
        String text = run.out();
        assertThat(text).contains("service's proxy on http://127.0.0.1:");
        assertThat(text).containsPattern("rollout took [0-9.]+s; seed formula .* -> measured / formula = [0-9.]+");
        assertThat(text).contains("revision 3 (v3) made no progress for 10s (progressDeadlineSeconds); rolling back to revision 2 (v2)");
        assertThat(text).containsPattern("RolloutCompleted +revision 2 \\(v2\\) complete");
        assertThat(text).containsPattern("RolloutCompleted +revision 4 \\(v2\\) complete");
        assertThat(text).contains(", 0 left running");
        assertThat(text.lines().reduce((a, b) -> b).orElseThrow())
                .matches("demo: PASS requests=[1-9][0-9]* non-2xx=0 socket-errors=0 rollback=ok");
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theSameStoryOnContainersRunsDigestsAndLosesNoRequest() {
        Cli.Result run = Cli.rollgate("demo", "--containers");
        String text = run.out();
        assertThat(text).containsPattern("demo:   127\\.0\\.0\\.1:[0-9]+/demo-web:v1 = sha256:[0-9a-f]{64}");
        assertThat(text).containsPattern("rollout took [0-9.]+s; seed formula .* -> measured / formula = [0-9.]+");
        assertThat(text).contains("revision 3 (v3) made no progress for 10s (progressDeadlineSeconds); rolling back to revision 2 (v2)");
        assertThat(text).containsPattern("revision 4 \\(v2\\): 127\\.0\\.0\\.1:[0-9]+/demo-web@sha256:[0-9a-f]{64}");
        assertThat(text).contains("   0 container(s) left");
        assertThat(text.lines().reduce((a, b) -> b).orElseThrow())
                .as(text).matches("demo: PASS requests=[1-9][0-9]* non-2xx=0 socket-errors=0 rollback=ok");
        assertThat(run.exit()).as(run.err()).isZero();
    }
}
