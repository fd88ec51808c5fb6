package dev.rollgate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.rollout.ReplicaRanking.Candidate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaRankingTest {

    private static final Instant T = Instant.parse("2026-11-22T00:00:00Z");

    private static final List<Candidate> GROUP = List.of(
            new Candidate("old-ready", true, T),
            new Candidate("new-ready", true, T.plusSeconds(60)),
            new Candidate("old-starting", false, T.plusSeconds(10)),
            new Candidate("new-starting", false, T.plusSeconds(90)));

    @ParameterizedTest(name = "{0} to delete: {1}")
    @CsvSource({
            "0, ''",
            "1, new-starting",
            "2, new-starting old-starting",
            "3, new-starting old-starting new-ready",
            "4, new-starting old-starting new-ready old-ready",
            "9, new-starting old-starting new-ready old-ready"})
    void notReadyFirstThenNewestFirst(int count, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
        assertThat(ReplicaRanking.toDelete(GROUP, count)).containsExactlyElementsOf(want);
    }

    @ParameterizedTest(name = "missing {0}, starting {1}, cap {2} -> {3}")
    @CsvSource({
            "3, 0, 0, 3",   // no cap
            "3, 0, 1, 1",
            "3, 1, 1, 0",   // one already starting: wait for it
            "3, 1, 2, 1",
            "1, 0, 5, 1",
            "0, 0, 1, 0",
            "2, 4, 2, 0"})  // more starting than the cap (a crash restart): none
    void maxConcurrentStartsCapsWhatStartsAtOnce(int missing, int starting, int cap, int allowed) {
        assertThat(ReplicaRanking.allowedStarts(missing, starting, cap)).isEqualTo(allowed);
    }
}
