package dev.rollgate.migrate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When a contract migration may run, and which revisions it rules out afterwards: pure functions
 * over what the controller and the database report.
 */
public final class ContractGate {

    /**
     * What the gate looks at.
     *
     * @param complete      the current revision's rollout completed (and is not paused or aborted)
     * @param olderReplicas replicas of any other revision still running, terminating ones included
     * @param healthySince  since when every desired replica of the current revision has been available (null: not now)
     * @param olderSessions database sessions whose application_name names another revision
     */
    public record Facts(boolean complete, List<String> olderReplicas, Instant healthySince, Duration contractAfter,
                        List<String> olderSessions, Instant now) {}

    private ContractGate() {}

    /** Why a contract migration must wait now; empty: it may run. */
    public static List<String> holds(Facts f) {
        List<String> why = new ArrayList<>();
        if (!f.complete()) why.add("the rollout of the current revision has not completed");
        if (!f.olderReplicas().isEmpty()) {
            why.add(f.olderReplicas().size() + " replica(s) of an older revision still run: " + String.join(", ", f.olderReplicas()));
        }
        if (f.healthySince() == null) {
            if (f.complete()) why.add("not every replica of the current revision is available");
        } else {
            Instant open = f.healthySince().plus(f.contractAfter());
            if (f.now().isBefore(open)) {
                why.add("the rollback window (contractAfter " + seconds(f.contractAfter()) + ") ends in "
                        + seconds(Duration.between(f.now(), open)) + ", at " + open);
            }
        }
        if (!f.olderSessions().isEmpty()) {
            why.add(f.olderSessions().size() + " database session(s) of an older revision remain: " + String.join(", ", f.olderSessions()));
        }
        return why;
    }

    /**
     * Why {@code rollout undo} to a revision must be refused: a contract migration ran that the
     * revision was not deployed with, so it may use what that migration removed.
     *
     * @param known            the migration versions the revision was deployed with (empty: it had none recorded)
     * @param appliedContracts the contract migrations applied in the database, version to file name
     */
    public static Optional<String> undoRefusal(int revision, Set<String> known, Map<String, String> appliedContracts) {
        List<String> ran = appliedContracts.entrySet().stream().filter(e -> known.stream().noneMatch(k -> Migration.compareVersions(k, e.getKey()) == 0))
                .map(Map.Entry::getValue).sorted().toList();
        if (ran.isEmpty()) return Optional.empty();
        return Optional.of("revision " + revision + " was deployed before the contract migration " + String.join(", ", ran)
                + " ran: it may still read or write what that removed, and the schema cannot be expanded back by Rollgate;"
                + " roll forward instead (apply a fixed template), or restore the schema first");
    }

    private static String seconds(Duration d) {
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        return s >= 120 ? (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s") : s + "s";
    }
}
