package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Set;
import java.util.function.Predicate;

/** The demos' view of a rollout: each change of its progress line printed until a condition holds, and every replica pid seen. */
final class RolloutWatch {

    private RolloutWatch() {}

    /** Prints each change of {@code service}'s progress until {@code done} holds (true), or gives up after {@code seconds} (false). */
    static boolean until(PrintWriter out, DaemonClient client, String service, Predicate<JsonNode> done, int seconds, Set<Long> pids)
            throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String last = null;
        while (System.nanoTime() < end) {
            JsonNode s = client.get("/v1/services/" + service);
            s.path("replicas").forEach(r -> {
                if (r.path("pid").asLong() > 0) pids.add(r.path("pid").asLong());
            });
            String line = RolloutCommand.Status.progressLine(s);
            if (!line.equals(last)) {
                out.println("   " + line);
                out.flush();
                last = line;
            }
            if (s.path("status").path("observedGeneration").asLong() >= s.path("generation").asLong() && done.test(s)) return true;
            Thread.sleep(100);
        }
        return false;
    }
}
