package dev.rollgate.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as Argo Rollouts writes them: {@code 30s}, {@code 2m}, {@code 1h30m}, {@code 500ms}, or bare seconds. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h))+");

    private Durations() {}

    public static Optional<Duration> parse(String text) {
        String t = text.strip();
        if (t.matches("\\d{1,9}")) return Optional.of(Duration.ofSeconds(Long.parseLong(t)));
        if (!WHOLE.matcher(t).matches()) return Optional.empty();
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        return Optional.of(total);
    }

    /** Formats a duration the way {@link #parse} reads it, e.g. {@code 1m30s} or {@code 250ms}. */
    public static String format(Duration d) {
        if (d.isZero()) return "0s";
        StringBuilder b = new StringBuilder();
        long h = d.toHours(), m = d.toMinutesPart(), s = d.toSecondsPart(), ms = d.toMillisPart();
        if (h > 0) b.append(h).append('h');
        if (m > 0) b.append(m).append('m');
        if (s > 0) b.append(s).append('s');
        if (ms > 0) b.append(ms).append("ms");
        return b.toString();
    }
}
