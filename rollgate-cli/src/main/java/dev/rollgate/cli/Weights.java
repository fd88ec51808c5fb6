package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A canary's or blue-green's traffic split in words: "rev 2 (v2) 90% · rev 3 (v3) 10%", and the preview. */
final class Weights {

    private Weights() {}

    static String describe(JsonNode service) {
        Map<String, String> labels = new HashMap<>();
        for (JsonNode r : service.path("revisions")) {
            labels.put(r.path("hash").asText(), "rev " + r.path("number").asText()
                    + (Output.text(r, "version").isEmpty() ? "" : " (" + r.path("version").asText() + ")"));
        }
        JsonNode prog = service.path("status").path("progressive");
        List<String> parts = new ArrayList<>();
        prog.path("weights").fields().forEachRemaining(e -> parts.add(labels.getOrDefault(e.getKey(), e.getKey()) + " " + e.getValue().asInt() + "%"));
        String preview = Output.text(prog, "preview");
        if (!preview.isEmpty()) parts.add("preview " + labels.getOrDefault(preview, preview));
        return String.join(" · ", parts);
    }
}
