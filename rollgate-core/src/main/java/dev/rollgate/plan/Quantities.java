package dev.rollgate.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities: {@code 250m} cores, {@code 256Mi} bytes. Unparsable values count as 0. */
public final class Quantities {

    private static final Pattern Q = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?");

    private Quantities() {}

    public static double cores(String q) {
        Matcher m = q == null ? null : Q.matcher(q.strip());
        if (m == null || !m.matches()) return 0;
        double v = Double.parseDouble(m.group(1));
        return "m".equals(m.group(2)) ? v / 1000 : v;
    }

    public static long bytes(String q) {
        Matcher m = q == null ? null : Q.matcher(q.strip());
        if (m == null || !m.matches()) return 0;
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        double factor = switch (unit) {
            case "k" -> 1e3;
            case "M" -> 1e6;
            case "G" -> 1e9;
            case "T" -> 1e12;
            case "Ki" -> 1024;
            case "Mi" -> 1024.0 * 1024;
            case "Gi" -> 1024.0 * 1024 * 1024;
            case "Ti" -> 1024.0 * 1024 * 1024 * 1024;
            case "m" -> 0.001;
            default -> 1;
        };
        return Math.round(v * factor);
    }
}
