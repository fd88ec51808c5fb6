package dev.rollgate.spec;

import dev.rollgate.spec.Shape.Field;
import dev.rollgate.spec.Shape.IntShape;
import dev.rollgate.spec.Shape.StringShape;
import java.util.ArrayList;
import java.util.List;

/** The building blocks of the spec's shapes: fields, bounded numbers, strings, and the limits every part shares. */
final class Shapes {

    private Shapes() {}

    static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    static Field field(String name, Shape shape) {
        return new Field(name, shape, false, null);
    }

    static IntShape atLeast(int min, String description) {
        return new IntShape(description, min, Integer.MAX_VALUE);
    }

    /** Replicas of one service: more than this is a typo, not a plan (and on one host, that many processes). */
    static final int MAX_REPLICAS = 10_000;
    /** A day: longer than any grace period, probe interval or delay that is not a mistake. */
    static final int MAX_SECONDS = 86_400;

    static IntShape between(int min, int max, String description) {
        return new IntShape(description, min, max);
    }

    static StringShape text(String description) {
        return new StringShape(description, false, null, null, List.of());
    }

    static StringShape nonEmpty(String description) {
        return new StringShape(description, true, null, null, List.of());
    }

    static StringShape oneOfValues(String description, String... values) {
        return new StringShape(description, false, null, null, List.of(values));
    }

    static final IntShape PORT = new IntShape("A TCP port on loopback.", 1, 65535);

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
