package dev.rollgate.local.process;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Rollgate's side of the {@link Watchdog}: starts it and keeps its list of process groups current. */
public final class WatchdogClient implements AutoCloseable {

    private final Process process;
    private final OutputStream out;

    private WatchdogClient(Process process) {
        this.process = process;
        this.out = process.getOutputStream();
    }

    /** Starts a watchdog JVM from this JVM's own java binary and class path, in a session of its own. */
    public static WatchdogClient start() throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> argv = List.of("/usr/bin/setsid", java, "-Xmx32m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Watchdog.class.getName());
        Process p = new ProcessBuilder(argv).redirectOutput(Redirect.DISCARD).redirectError(Redirect.INHERIT).start();
        return new WatchdogClient(p);
    }

    public long pid() {
        return process.pid();
    }

    public synchronized void watch(long pgid, Duration grace) {
        send("add " + pgid + " " + grace.toMillis());
    }

    public synchronized void forget(long pgid) {
        send("del " + pgid);
    }

    private void send(String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the watchdog died; replicas are still stopped by Rollgate itself on a normal exit
        }
    }

    /** Ends the watchdog; with every group forgotten it exits at once. */
    @Override
    public void close() {
        try {
            out.close();
            process.waitFor();
        } catch (IOException | InterruptedException e) {
            process.destroy();
        }
    }
}
