package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.controller.Verb;
import dev.rollgate.local.store.Store;
import dev.rollgate.plan.ApplyPreview;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The local daemon of a state directory, through its admin API on loopback. */
record DaemonTarget(DaemonClient client) implements Target {

    @Override
    public JsonNode services() {
        return client.get("/v1/services");
    }

    @Override
    public JsonNode service(String name) {
        return client.get(DaemonClient.servicePath(name));
    }

    @Override
    public JsonNode history(String name) {
        return client.get(DaemonClient.servicePath(name) + "/history");
    }

    @Override
    public Events events(String name) {
        String events = name == null ? "/v1/events" : DaemonClient.servicePath(name) + "/events";
        return new Events() {
            long last;

            @Override
            public List<EventRow> newest(int limit) {
                return read(events + "?limit=" + limit);
            }

            @Override
            public List<EventRow> fresh() {
                return read(events + "?after=" + last + "&limit=1000");
            }

            private List<EventRow> read(String query) {
                List<EventRow> rows = client.getList(query, EventRow.class);
                if (!rows.isEmpty()) last = rows.getLast().id();
                return rows;
            }

            @Override
            public Duration period() {
                return Duration.ofMillis(500);
            }
        };
    }

    @Override
    public String act(String name, Verb verb) {
        String query = switch (verb) {
            case Verb.Undo u -> "?toRevision=" + u.toRevision();
            case Verb.Promote p -> "?full=" + p.full();
            default -> "";
        };
        return client.post(DaemonClient.servicePath(name) + "/" + verb.name() + query, null).path("result").asText();
    }

    @Override
    public String delete(String name) {
        client.delete(DaemonClient.servicePath(name));
        return "service/" + name + " deleted";
    }

    @Override
    public Applied apply(Path file, String text, boolean requireDigest) {
        Path base = file.toAbsolutePath().normalize().getParent();
        JsonNode result = client.post("/v1/apply" + (requireDigest ? "?requireDigest=true" : ""),
                Map.of("document", text, "baseDir", base.toString(), "source", file.toString()));
        List<String> lines = new ArrayList<>();
        for (JsonNode a : result.path("applied")) lines.add(a.path("kind").asText("service") + "/" + a.path("name").asText() + " " + a.path("result").asText());
        return new Applied(result, lines);
    }

    @Override
    public DiffCommand.Previews preview(Path file, String text) {
        Path base = file.toAbsolutePath().normalize().getParent();
        JsonNode answer = client.post("/v1/apply?dryRun=true", Map.of("document", text, "baseDir", base.toString(), "source", file.toString()));
        List<JsonNode> configMaps = new ArrayList<>();
        answer.path("configMaps").forEach(configMaps::add);
        return new DiffCommand.Previews(DaemonClient.asList(answer.path("preview"), ApplyPreview.class), configMaps);
    }

    @Override
    public String address(ServiceView s) {
        return s.port() == 0 ? "none (no proxy)" : "http://127.0.0.1:" + s.port();
    }

    @Override
    public Listing listing(String name, boolean wide) {
        return client.listing((name == null ? "/v1/services" : DaemonClient.servicePath(name)) + (wide ? "?wide=true" : ""));
    }
}
