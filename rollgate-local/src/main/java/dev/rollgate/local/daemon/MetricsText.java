package dev.rollgate.local.daemon;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Merges the Prometheus text of several services' proxies into one exposition: each sample gets
 * a {@code service} label, and each metric family's HELP and TYPE lines appear once, before its samples.
 */
final class MetricsText {

    private MetricsText() {}

    static String merge(Map<String, String> textByService) {
        Map<String, StringBuilder> families = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        textByService.forEach((service, text) -> {
            String family = null;
            for (String line : text.split("\n")) {
                if (line.isBlank()) continue;
                if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                    family = line.split(" ")[2];
                    headers.merge(family, line + "\n", (a, b) -> a.contains(b) ? a : a + b);
                    families.computeIfAbsent(family, f -> new StringBuilder());
                    continue;
                }
                if (line.startsWith("#")) continue;
                String name = line.split("[{ ]", 2)[0];
                String f = family != null && name.startsWith(family) ? family : name;
                families.computeIfAbsent(f, x -> new StringBuilder()).append(withService(line, name, service)).append('\n');
            }
        });
        StringBuilder out = new StringBuilder();
        families.forEach((f, samples) -> out.append(headers.getOrDefault(f, "")).append(samples));
        return out.toString();
    }

    private static String withService(String line, String name, String service) {
        String label = "service=\"" + service.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        String rest = line.substring(name.length());
        return rest.startsWith("{") ? name + "{" + label + "," + rest.substring(1) : name + "{" + label + "}" + rest;
    }

}
