package dev.rollgate.cli;

import dev.rollgate.view.ServiceView;
import java.io.PrintWriter;
import java.util.Set;
import java.util.function.Predicate;

/** The demos' view of a rollout: each change of its progress line printed until a condition holds, and every replica pid seen. */
final class RolloutWatch {

    private RolloutWatch() {}

    /** Prints each change of {@code service}'s progress until {@code done} holds (true), or gives up after {@code seconds} (false). */
    static boolean until(PrintWriter out, DaemonClient client, String service, Predicate<ServiceView> done, int seconds, Set<Long> pids)
            throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String last = null;
        while (System.nanoTime() < end) {
            ServiceView s = client.get(DaemonClient.servicePath(service), ServiceView.class);
            s.replicas().forEach(r -> {
                if (r.pid() > 0) pids.add(r.pid());
            });
            String line = RolloutCommand.Status.progressLine(s);
            if (!line.equals(last)) {
                out.println("   " + line);
                out.flush();
                last = line;
            }
            if (s.status().observedGeneration() >= s.generation() && done.test(s)) return true;
            Thread.sleep(100);
        }
        return false;
    }
}
