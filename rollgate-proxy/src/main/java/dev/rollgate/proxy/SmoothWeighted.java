package dev.rollgate.proxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Smooth weighted round-robin (nginx's algorithm): over any run of sum(weights) picks each
 * revision is chosen exactly its weight's number of times, spread out rather than in bursts.
 * Unlike a coin flip per request, a 10/90 split is 10 % of traffic to the request, not on average.
 */
final class SmoothWeighted {

    private final String[] names;
    private final int[] weights;
    private final int[] current;
    private final int total;

    SmoothWeighted(Map<String, Integer> weights) {
        List<String> n = new ArrayList<>();
        List<Integer> w = new ArrayList<>();
        weights.forEach((name, weight) -> {
            if (weight > 0) {
                n.add(name);
                w.add(weight);
            }
        });
        this.names = n.toArray(String[]::new);
        this.weights = w.stream().mapToInt(Integer::intValue).toArray();
        this.current = new int[names.length];
        this.total = this.weights.length == 0 ? 0 : Arrays.stream(this.weights).sum();
    }

    boolean isEmpty() {
        return names.length == 0;
    }

    /** The next revision; callers serialize calls (the state is a handful of ints). */
    synchronized String next() {
        if (names.length == 0) return null;
        int best = 0;
        for (int i = 0; i < names.length; i++) {
            current[i] += weights[i];
            if (current[i] > current[best]) best = i;
        }
        current[best] -= total;
        return names[best];
    }
}
