package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmoothWeightedTest {

    @ParameterizedTest(name = "{0}/{1}/{2}")
    @CsvSource({"90,10,0", "1,1,1", "5,3,2", "0,100,0", "99,1,0", "50,25,25"})
    void everyRunOfSumPicksHasEachRevisionExactlyItsWeightAndNoLongBursts(int a, int b, int c) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", a);
        weights.put("b", b);
        weights.put("c", c);
        SmoothWeighted w = new SmoothWeighted(weights);
        int total = a + b + c;
        for (int round = 0; round < 3; round++) {
            Map<String, Integer> seen = new HashMap<>();
            List<String> picks = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                String next = w.next();
                picks.add(next);
                seen.merge(next, 1, Integer::sum);
            }
            weights.forEach((name, weight) -> assertThat(seen.getOrDefault(name, 0)).as(name).isEqualTo(weight));
            if (c == 0 && a > 0 && b > 0) {
                // Smooth: the lighter revision's picks are spread out, at most ceil(a / b) of the heavier in a row.
                int longest = 0, run = 0;
                String heavy = a >= b ? "a" : "b";
                for (String p : picks) {
                    run = p.equals(heavy) ? run + 1 : 0;
                    longest = Math.max(longest, run);
                }
                assertThat(longest).isLessThanOrEqualTo((Math.max(a, b) + Math.min(a, b) - 1) / Math.min(a, b));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0,0"})
    void noWeightPicksNothing(int a, int b) {
        SmoothWeighted w = new SmoothWeighted(Map.of("a", a, "b", b));
        assertThat(w.isEmpty()).isTrue();
        assertThat(w.next()).isNull();
    }
}
