package dev.rollgate.analysis.run;

import dev.rollgate.spec.AnalysisTemplate;
import java.io.IOException;
import java.util.List;

/**
 * Runs a job metric's command once, where the platform runs jobs (a local process group, a
 * Kubernetes Job): exit 0 is Successful, anything else Failed, its timeout Error.
 */
public interface JobRunner {

    /** {@code argv}: the job's command with the run's arguments expanded. */
    Reading run(AnalysisTemplate.Provider.Job job, List<String> argv) throws IOException, InterruptedException;
}
