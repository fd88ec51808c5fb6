package dev.rollgate.local.replica;

import dev.rollgate.demo.DemoService;
import dev.rollgate.spec.Handler;
import dev.rollgate.spec.Probe;
import dev.rollgate.spec.Template;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Templates that run the demo service as a light JVM, for end-to-end tests on real processes. */
public final class DemoReplicas {

    static final CrashLoopBackOff FAST_BACK_OFF = new CrashLoopBackOff(Duration.ofMillis(300), Duration.ofMillis(1200), Duration.ofMinutes(10));

    private DemoReplicas() {}

    static List<String> command(String... options) {
        List<String> argv = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k",
                "-cp", classes(), DemoService.class.getName()));
        argv.addAll(List.of(options));
        return argv;
    }

    static Template template(List<String> command, Probe startup, Probe readiness, Probe liveness, Handler preStop, int grace) {
        return new Template("test", command, Map.of(), null, startup, readiness, liveness, preStop, grace);
    }

    static Probe http(String path, int period, int success, int failure) {
        return new Probe(new Handler.HttpGet(path, null, "127.0.0.1", "HTTP", List.of()), 0, period, 1, success, failure, null);
    }

    static ReplicaConfig config(Path dir, Recorder recorder) {
        return new ReplicaConfig(dir, dir.resolve("logs"), FAST_BACK_OFF, ReplicaLog.DEFAULT_MAX_BYTES, recorder, null);
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    /** The demo service's class path: its own classes and the health library's. */
    public static String classes() {
        return location(DemoService.class) + java.io.File.pathSeparator + location(dev.rollgate.health.Health.class);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
