package dev.rollgate.rollout;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Which replicas of a group go first when it is scaled down, as the ReplicaSet controller ranks
 * pods for deletion: one that is not ready before one that is, then the newest first (it has the
 * least warm state and the shortest time as part of the service).
 */
public final class ReplicaRanking {

    /** One replica of a group, as the ranking sees it. */
    public record Candidate(String id, boolean ready, Instant created) {}

    private static final Comparator<Candidate> DELETE_FIRST = Comparator.comparing(Candidate::ready)
            .thenComparing(Candidate::created, Comparator.reverseOrder())
            .thenComparing(Candidate::id);

    private ReplicaRanking() {}

    /** The ids of the {@code count} replicas to stop, in the order they go. */
    public static List<String> toDelete(List<Candidate> replicas, int count) {
        return replicas.stream().sorted(DELETE_FIRST).limit(Math.max(0, count)).map(Candidate::id).toList();
    }

    /**
     * {@code maxConcurrentStarts}: how many of {@code missing} replicas may start now, when
     * {@code starting} replicas are already started and not ready yet (0 as the cap: no cap).
     */
    public static int allowedStarts(int missing, int starting, int maxConcurrentStarts) {
        if (missing <= 0) return 0;
        if (maxConcurrentStarts <= 0) return missing;
        return Math.max(0, Math.min(missing, maxConcurrentStarts - starting));
    }
}
