package dev.rollgate.analysis.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.http.BoundedHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One instant PromQL query over Prometheus' HTTP API: a scalar as a number, a vector as the list of its values. */
final class PrometheusQuery {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One sample of an instant vector: its labels and its value. */
    record Sample(Map<String, String> labels, double value) {}

    private PrometheusQuery() {}

    static Object instant(String address, String query, Duration timeout) throws IOException, InterruptedException {
        JsonNode data = data(address, query, timeout);
        if (data.path("resultType").asText().equals("scalar")) return Double.parseDouble(data.path("result").get(1).asText());
        List<Double> values = new ArrayList<>();
        for (Sample s : samples(data, query)) values.add(s.value());
        return values;
    }

    /** A query that must give an instant vector, with each sample's labels. */
    static List<Sample> vector(String address, String query, Duration timeout) throws IOException, InterruptedException {
        return samples(data(address, query, timeout), query);
    }

    private static List<Sample> samples(JsonNode data, String query) throws IOException {
        String type = data.path("resultType").asText();
        if (!type.equals("vector")) throw new IOException("query gave a " + type + " where an instant vector was wanted: " + query);
        List<Sample> samples = new ArrayList<>();
        for (JsonNode sample : data.path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            sample.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            samples.add(new Sample(labels, Double.parseDouble(sample.path("value").get(1).asText())));
        }
        return samples;
    }

    private static JsonNode data(String address, String query, Duration timeout) throws IOException, InterruptedException {
        String base = address.replaceAll("/+$", "");
        URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        BoundedHttp.Answer r = BoundedHttp.exchange(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), timeout, Providers.MAX_ANSWER);
        JsonNode body = JSON.readTree(r.body());
        if (r.status() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("Prometheus answered " + r.status() + ": " + body.path("error").asText(r.body()));
        }
        return body.path("data");
    }

    /** A query that must give one number: a scalar, or a vector of one sample (none counts as 0, as a revision that served nothing yet). */
    static double number(String address, String query, Duration timeout) throws IOException, InterruptedException {
        Object v = instant(address, query, timeout);
        if (v instanceof Double d) return d;
        List<?> list = (List<?>) v;
        if (list.isEmpty()) return 0;
        if (list.size() > 1) throw new IOException("query gave " + list.size() + " series; sum them to one, e.g. sum(...): " + query);
        return (Double) list.getFirst();
    }
}
