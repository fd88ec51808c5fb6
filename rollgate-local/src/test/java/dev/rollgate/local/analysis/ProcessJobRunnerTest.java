package dev.rollgate.local.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.run.Reading;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.spec.AnalysisTemplate.Provider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A job metric on the embedded platform ends, whole, within its timeout and its output bound, and leaves no process behind. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessJobRunnerTest {

    @TempDir
    Path dir;

    @Test
    void aJobThatPrints400MegabytesIsMeasuredFromTheEndOfItsOutput() throws Exception {
        Provider.Job job = new Provider.Job(List.of("sh", "-c", "head -c 400000000 /dev/zero | tr '\\\\0' x; echo; echo all done"), 60);
        Reading r = new ProcessJobRunner(() -> dir).run(job, job.command());
        assertThat(r.outcome()).isEqualTo(AnalysisPhase.SUCCESSFUL);
        assertThat(r.message()).startsWith("exit 0: …").endsWith("all done").hasSizeLessThan(300);
    }

    @Test
    void aJobThatTimesOutDiesWithTheChildrenItLeftInTheBackground() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Provider.Job job = new Provider.Job(List.of("sh", "-c", "sleep 300 & echo $! > " + pidFile + "; sleep 300"), 1);
        Reading r = new ProcessJobRunner(() -> dir).run(job, job.command());
        assertThat(r.outcome()).isEqualTo(AnalysisPhase.ERROR);
        assertThat(r.message()).contains("timed out after 1s");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessGroup.isRunning(child));
    }

    @Test
    void aJobThatExitsLeavesNoBackgroundChild() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Provider.Job job = new Provider.Job(List.of("sh", "-c", "sleep 300 & echo $! > " + pidFile + "; exit 0"), 10);
        assertThat(new ProcessJobRunner(() -> dir).run(job, job.command()).outcome()).isEqualTo(AnalysisPhase.SUCCESSFUL);
        long child = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessGroup.isRunning(child));
    }
}
