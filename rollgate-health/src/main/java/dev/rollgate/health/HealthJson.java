package dev.rollgate.health;

import dev.rollgate.health.HealthReport.CheckView;
import java.util.Map;

/** Writes a report in MicroProfile Health's wire format: {@code {"status", "checks":[{"name","status","data"}]}}. */
public final class HealthJson {

    private HealthJson() {}

    /** With {@code details} false, checks show their name and status but not their data. */
    public static String write(HealthReport report, boolean details) {
        StringBuilder b = new StringBuilder(128);
        b.append("{\"status\":\"").append(report.status()).append("\",\"checks\":[");
        boolean first = true;
        for (CheckView v : report.checks()) {
            if (!first) b.append(',');
            first = false;
            b.append("{\"name\":");
            string(b, v.name());
            b.append(",\"status\":\"").append(v.status()).append('"');
            if (details && !v.data().isEmpty()) {
                b.append(",\"data\":{");
                boolean firstData = true;
                for (Map.Entry<String, Object> e : v.data().entrySet()) {
                    if (!firstData) b.append(',');
                    firstData = false;
                    string(b, e.getKey());
                    b.append(':');
                    Object value = e.getValue();
                    if (value instanceof Number || value instanceof Boolean) b.append(value);
                    else string(b, String.valueOf(value));
                }
                b.append('}');
            }
            b.append('}');
        }
        return b.append("]}").toString();
    }

    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
