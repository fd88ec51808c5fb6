package dev.rollgate.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The four DORA figures of one service from the rollout events Rollgate records, as a pure
 * function. A deployment is a rollout of a new template ({@code RolloutStarted}, not an earlier
 * template taken up again by an undo or a rollback). It failed if, before the next deployment,
 * it was aborted (by its analysis, its deadline or a person), rolled back during its bake, or
 * undone; it succeeded if it completed and none of that followed.
 *
 * <ul>
 *   <li>deployment frequency: successful deployments per day over the period;</li>
 *   <li>lead time: from apply (its {@code RolloutStarted}) to {@code RolloutCompleted}, median and 90th percentile;</li>
 *   <li>change-failure rate: failed deployments over finished ones (failed + successful);</li>
 *   <li>time to restore: from a failed deployment's start until every user was back on a good
 *       revision (the abort for a canary or blue-green, whose traffic goes back at once; otherwise
 *       the next {@code RolloutCompleted}), median.</li>
 * </ul>
 */
public final class DeliveryStats {

    /** One recorded event: when, and its reason and message as the rollout events carry them. */
    public record Event(Instant time, String reason, String message) {}

    /**
     * The figures; durations are null when nothing was measured.
     *
     * @param inProgress deployments started and not yet finished
     */
    public record Figures(String service, Instant since, Instant until, int deployments, int succeeded, int failed, int inProgress,
                          double perDay, Duration leadTimeMedian, Duration leadTimeP90, Double changeFailureRate,
                          Duration timeToRestoreMedian) {}

    private static final Set<String> FAILURES = Set.of("RolloutAborted", "BakeRolledBack", "RollbackStarted");

    private DeliveryStats() {}

    /** {@code events}: the service's events in time order; those before {@code since} only close deployments begun earlier. */
    public static Figures of(String service, List<Event> events, Instant since, Instant until) {
        List<Duration> leads = new ArrayList<>(), restores = new ArrayList<>();
        int deployments = 0, succeeded = 0, failed = 0, inProgress = 0;
        Deployment open = null;
        Deployment failing = null; // a failed deployment whose users are not all back on a good revision yet
        for (Event e : events) {
            if (e.time().isAfter(until)) break;
            switch (e.reason()) {
                case "RolloutStarted" -> {
                    if (e.message().contains("re-adopted")) break; // an undo or rollback: a way back, not a deployment
                    if (open != null && !open.failed && open.completed != null && counted(open, since)) succeeded++;
                    open = new Deployment(e.time());
                    if (!e.time().isBefore(since)) deployments++;
                }
                case "RolloutCompleted" -> {
                    if (failing != null) {
                        if (counted(failing, since)) restores.add(Duration.between(failing.started, e.time()));
                        failing = null;
                    } else if (open != null && open.completed == null && !open.failed) {
                        open.completed = e.time();
                        if (counted(open, since)) leads.add(Duration.between(open.started, e.time()));
                    }
                }
                default -> {
                    if (!FAILURES.contains(e.reason()) || open == null || open.failed) break;
                    open.failed = true;
                    if (counted(open, since)) failed++;
                    // A canary or blue-green abort sends the traffic back to stable in the same pass; a rollback rolls.
                    boolean immediate = e.reason().equals("RolloutAborted") && !e.message().contains("rolling back to");
                    if (immediate) {
                        if (counted(open, since)) restores.add(Duration.between(open.started, e.time()));
                    } else {
                        failing = open;
                    }
                }
            }
        }
        if (open != null && !open.failed && counted(open, since)) {
            if (open.completed != null) succeeded++;
            else inProgress++;
        }
        double days = Math.max(Duration.between(since, until).toSeconds() / 86_400.0, 1e-9);
        int finished = succeeded + failed;
        return new Figures(service, since, until, deployments, succeeded, failed, inProgress, succeeded / days, percentile(leads, 50),
                percentile(leads, 90), finished == 0 ? null : (double) failed / finished, percentile(restores, 50));
    }

    private static boolean counted(Deployment d, Instant since) {
        return !d.started.isBefore(since);
    }

    /** The nearest-rank percentile, or null for none. */
    static Duration percentile(List<Duration> values, int p) {
        if (values.isEmpty()) return null;
        List<Duration> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private static final class Deployment {
        final Instant started;
        Instant completed;
        boolean failed;

        Deployment(Instant started) {
            this.started = started;
        }
    }
}
