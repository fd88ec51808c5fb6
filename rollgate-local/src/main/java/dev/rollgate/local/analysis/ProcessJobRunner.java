package dev.rollgate.local.analysis;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.run.JobRunner;
import dev.rollgate.analysis.run.Reading;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.spec.AnalysisTemplate;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The embedded platform's jobs: the command runs in the service's directory, in a process group
 * of its own. When it ends or times out the whole group is killed, so a background child cannot
 * outlive its job; only the end of its output is read.
 */
public record ProcessJobRunner(Supplier<Path> workingDir) implements JobRunner {

    @Override
    public Reading run(AnalysisTemplate.Provider.Job j, List<String> command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(command);
        Path out = Files.createTempFile("rollgate-job", ".log");
        Process p = null;
        try {
            p = new ProcessBuilder(argv).directory(workingDir.get().toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectOutput(out.toFile()).start();
            if (!p.waitFor(j.timeoutSeconds(), TimeUnit.SECONDS)) {
                return new Reading(null, AnalysisPhase.ERROR, "timed out after " + j.timeoutSeconds() + "s");
            }
            String tail = tail(out);
            int code = p.exitValue();
            return new Reading(code, code == 0 ? AnalysisPhase.SUCCESSFUL : AnalysisPhase.FAILED,
                    "exit " + code + (tail.isEmpty() ? "" : ": " + tail));
        } finally {
            if (p != null) {
                ProcessGroup.killAll(p.pid()); // setsid made the job the leader of its own group
                p.destroyForcibly();
            }
            Files.deleteIfExists(out);
        }
    }

    /** The last 200 characters of a job's output, read from the end of its file whatever its size. */
    private static String tail(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            int n = (int) Math.min(size, 4096);
            byte[] b = new byte[n];
            f.seek(size - n);
            f.readFully(b);
            String t = new String(b, StandardCharsets.UTF_8).strip();
            return t.length() > 200 || size > n ? "…" + t.substring(Math.max(0, t.length() - 200)) : t;
        }
    }
}
