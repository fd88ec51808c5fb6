package dev.rollgate.lint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes findings as text (grouped by object), JSON (an array), or SARIF 2.1.0 for code scanning. */
public final class LintReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LintReport() {}

    public static String text(List<Finding> findings, boolean colour) {
        if (findings.isEmpty()) return "no findings\n";
        Map<String, List<Finding>> byObject = new LinkedHashMap<>();
        for (Finding f : findings) {
            byObject.computeIfAbsent(f.file() + "  " + f.kind() + " " + f.namespace() + "/" + f.name(), k -> new ArrayList<>()).add(f);
        }
        StringBuilder b = new StringBuilder();
        byObject.forEach((object, list) -> {
            b.append(colour ? "\u001b[1m" + object + "\u001b[0m" : object).append('\n');
            for (Finding f : list) {
                String sev = f.severity().name();
                if (colour) {
                    String c = switch (f.severity()) {
                        case error -> "\u001b[31m";
                        case warning -> "\u001b[33m";
                        case info -> "\u001b[36m";
                    };
                    sev = c + sev + "\u001b[0m";
                }
                b.append("  ").append(sev).append(' ').append(f.check()).append("  ").append(f.path()).append(" (line ").append(f.line()).append(")\n");
                b.append("      ").append(f.message()).append('\n');
                b.append("      fix: ").append(f.fix()).append('\n');
            }
        });
        long errors = findings.stream().filter(f -> f.severity() == Severity.error).count();
        long warnings = findings.stream().filter(f -> f.severity() == Severity.warning).count();
        b.append(errors).append(" error(s), ").append(warnings).append(" warning(s), ")
                .append(findings.size() - errors - warnings).append(" info\n");
        return b.toString();
    }

    public static String json(List<Finding> findings) {
        ArrayNode a = JSON.createArrayNode();
        for (Finding f : findings) {
            a.addObject().put("check", f.check()).put("severity", f.severity().name()).put("kind", f.kind()).put("name", f.name())
                    .put("namespace", f.namespace()).put("file", f.file()).put("path", f.path()).put("line", f.line())
                    .put("message", f.message()).put("fix", f.fix());
        }
        return a.toPrettyString() + "\n";
    }

    public static String sarif(List<Finding> findings) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json").put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "rollgate lint").put("informationUri", "https://rollgate.dev");
        ArrayNode rules = driver.putArray("rules");
        for (Rule r : Rule.ALL) {
            ObjectNode rule = rules.addObject().put("id", r.id());
            rule.putObject("shortDescription").put("text", r.why());
            rule.putObject("help").put("text", r.fix());
            rule.putObject("defaultConfiguration").put("level", level(r.severity()));
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : findings) {
            ObjectNode res = results.addObject().put("ruleId", f.check()).put("level", level(f.severity()));
            res.putObject("message").put("text", f.kind() + " " + f.name() + ": " + f.message() + " Fix: " + f.fix());
            ObjectNode loc = res.putArray("locations").addObject().putObject("physicalLocation");
            loc.putObject("artifactLocation").put("uri", f.file());
            loc.putObject("region").put("startLine", Math.max(1, f.line()));
        }
        return root.toPrettyString() + "\n";
    }

    private static String level(Severity s) {
        return switch (s) {
            case error -> "error";
            case warning -> "warning";
            case info -> "note";
        };
    }
}
