package dev.rollgate.cli;

import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.view.ServiceView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A canary's or blue-green's traffic split in words: "rev 2 (v2) 90% · rev 3 (v3) 10%", and the preview. */
final class Weights {

    private Weights() {}

    static String describe(ServiceView service) {
        Map<String, String> labels = new HashMap<>();
        for (ServiceView.RevisionView r : service.revisions()) {
            labels.put(r.hash(), "rev " + r.number() + (r.version() == null ? "" : " (" + r.version() + ")"));
        }
        RolloutStatus.Progressive prog = service.status().progressive();
        if (prog == null) return "";
        List<String> parts = new ArrayList<>();
        if (prog.weights() != null) prog.weights().forEach((hash, w) -> parts.add(labels.getOrDefault(hash, hash) + " " + w + "%"));
        if (prog.preview() != null) parts.add("preview " + labels.getOrDefault(prog.preview(), prog.preview()));
        return String.join(" · ", parts);
    }
}
