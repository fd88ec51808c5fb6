package dev.rollgate.view;

import java.time.Duration;
import java.time.Instant;

/** kubectl's short age of a thing: 45s, 3m12s, 2h5m, 3d. */
public final class Age {

    private Age() {}

    /** How long before {@code now} {@code since} was; "-" when it is not known. */
    public static String of(Instant since, Instant now) {
        if (since == null) return "-";
        long s = Math.max(0, Duration.between(since, now).toSeconds());
        if (s < 120) return s + "s";
        if (s < 3600) return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        if (s < 86400) return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        return s / 86400 + "d";
    }
}
