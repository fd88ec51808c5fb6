package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.view.Age;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** How commands print data: {@code -o json|yaml} as the API returns it, and aligned tables and ages as kubectl prints them. */
final class Output {

    private Output() {}

    /** Prints {@code data} as JSON or YAML when {@code format} asks for it; returns false for the command's own text. */
    static boolean data(PrintWriter out, String format, JsonNode data) {
        if (format == null || format.isEmpty()) return false;
        switch (format) {
            case "json" -> out.println(data.toPrettyString());
            case "yaml" -> {
                DumperOptions o = new DumperOptions();
                o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
                out.print(new Yaml(o).dump(Json.MAPPER.convertValue(data, Object.class)));
            }
            default -> throw new CliException("-o: unknown output format '" + format + "'; use json or yaml");
        }
        out.flush();
        return true;
    }

    /** Columns padded to the widest cell, separated by three spaces, as kubectl get. */
    static void table(PrintWriter out, List<String> header, List<List<String>> rows, String indent) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] width = new int[header.size()];
        for (List<String> r : all) for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
        for (List<String> r : all) {
            StringBuilder b = new StringBuilder(indent);
            for (int i = 0; i < r.size(); i++) {
                b.append(r.get(i));
                if (i < r.size() - 1) b.append(" ".repeat(width[i] - r.get(i).length() + 3));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    /** kubectl's short age ({@link Age}) of an ISO-8601 instant. */
    static String age(String isoInstant) {
        if (isoInstant == null || isoInstant.isEmpty() || isoInstant.equals("null")) return "-";
        return age(Instant.parse(isoInstant));
    }

    static String age(Instant since) {
        return Age.of(since, Instant.now());
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
