package dev.rollgate.local.dataplane.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Totals;
import dev.rollgate.local.dataplane.DataPlaneProtocol;
import dev.rollgate.local.dataplane.client.DataPlaneClient;
import dev.rollgate.proxy.Ejection;
import dev.rollgate.proxy.MirrorView;
import dev.rollgate.proxy.SecondStats;
import dev.rollgate.proxy.TrafficMetrics;
import dev.rollgate.proxy.WindowStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A service's proxy metrics, read from the data plane process that counts them (they outlive the daemon with it). */
final class RemoteMetrics implements TrafficMetrics {

    private final DataPlaneClient client;
    private final String prefix;

    RemoteMetrics(DataPlaneClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    @Override
    public WindowStats forRevision(String revision, int seconds) {
        return DataPlaneProtocol.read(get("revision?revision=" + enc(revision) + "&seconds=" + seconds), WindowStats.class);
    }

    @Override
    public WindowStats forEndpoint(String endpointId, int seconds) {
        return DataPlaneProtocol.read(get("endpoint?endpoint=" + enc(endpointId) + "&seconds=" + seconds), WindowStats.class);
    }

    @Override
    public List<SecondStats> series(String revision, int seconds) {
        try {
            return DataPlaneProtocol.MAPPER.readValue(get("series?revision=" + enc(revision) + "&seconds=" + seconds),
                    new TypeReference<List<SecondStats>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<String> revisions() {
        JsonNode n = DataPlaneProtocol.read(get("revisions"), JsonNode.class);
        Set<String> out = new TreeSet<>();
        n.path("revisions").forEach(r -> out.add(r.asText()));
        return out;
    }

    @Override
    public double[] latencySample(String revision, int seconds, int max) {
        return DataPlaneProtocol.read(get("sample?revision=" + enc(revision) + "&seconds=" + seconds + "&max=" + max), double[].class);
    }

    @Override
    public MirrorView mirrored(String revision) {
        return DataPlaneProtocol.read(get("mirror?revision=" + enc(revision)), MirrorView.class);
    }

    @Override
    public List<Ejection> ejections() {
        try {
            return DataPlaneProtocol.MAPPER.readValue(get("ejections"), new TypeReference<List<Ejection>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long total(String revision, int statusClass) {
        return totals(revision).byStatusClass()[statusClass - 1];
    }

    @Override
    public long retries(String revision) {
        return totals(revision).retries();
    }

    @Override
    public long socketErrors(String revision) {
        return totals(revision).socketErrors();
    }

    @Override
    public String prometheus() {
        return get("prometheus");
    }

    private Totals totals(String revision) {
        return DataPlaneProtocol.read(get("totals?revision=" + enc(revision)), Totals.class);
    }

    /** A read the caller cannot do without: an analysis measurement that fails says why, in its own words. */
    private String get(String call) {
        try {
            return client.call("GET", prefix + call, null);
        } catch (IOException e) {
            throw new UncheckedIOException("the data plane cannot be reached: " + e.getMessage(), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
