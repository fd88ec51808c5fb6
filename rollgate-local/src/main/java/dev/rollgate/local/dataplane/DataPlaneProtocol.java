package dev.rollgate.local.dataplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rollgate.local.replica.Drain;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.proxy.frontdoor.Certificates;
import dev.rollgate.proxy.frontdoor.FrontDoorRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the daemon and its data plane process talk: JSON over HTTP on loopback, behind the state
 * directory's admin token, and the files in the state directory that say where the data plane is.
 * {@link #VERSION} changes whenever a message changes, so a daemon never drives a data plane
 * that would misread it.
 */
public final class DataPlaneProtocol {

    /**
     * The protocol's version: a daemon attaches only to a data plane that speaks the same one. 2: a
     * service's limits carry outlier detection, compression and the upstream protocol (h2c), which a
     * data plane of version 1 would drop unread.
     */
    public static final int VERSION = 2;

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DataPlaneProtocol() {}

    /** {@code dataplane.json}: where the running data plane is. */
    public record Address(long pid, int port, int protocol) {}

    /** {@code GET /v1/dataplane}: who answers, and what it serves now. */
    public record Hello(long pid, int protocol, String startedAt, Map<String, Served> services) {}

    /** One service as the data plane serves it: its ports, its routing table and settings. */
    public record Served(int port, int previewPort, boolean masking, ProxyConfig.Timeouts timeouts, RoutingTable table) {}

    /** {@code PUT /v1/services/NAME}: serve a service on {@code port} (kept as it is if it is served already). */
    public record Open(int port, ProxyConfig.Timeouts timeouts) {}

    public record Port(int port) {}

    public record Masking(boolean on) {}

    public record Drain(String endpoint, long timeoutMillis) {}

    public record Drained(int cut) {}

    public record Forget(String endpoint) {}

    public record Totals(long[] byStatusClass, long retries, long socketErrors) {}

    public record Error(String error) {}

    /**
     * The front door: its listeners ("host:port", null for none), whose X-Forwarded-For it trusts,
     * the access log, every service's routes, and the certificate files by host.
     */
    public record FrontDoorConfig(String listen, String listenTls, List<String> trustedProxies, String accessLog,
                                  List<FrontDoorRoutes.Route> routes,
                                  Map<String, Certificates.Pem> certificates) {}

    /** {@code PUT /v1/frontdoor/challenges/TOKEN}: an ACME HTTP-01 answer. */
    public record Challenge(String content) {}

    public static Path addressFile(Path stateDir) {
        return stateDir.resolve("dataplane.json");
    }

    /** What {@code dataplane.json} says, if it is there and readable (the process it names may be gone). */
    public static Optional<Address> address(Path stateDir) {
        try {
            return Optional.of(read(Files.readString(addressFile(stateDir)), Address.class));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The data plane {@code dataplane.json} names, if that process is alive. */
    public static Optional<Address> running(Path stateDir) {
        return address(stateDir).filter(a -> ProcessHandle.of(a.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    public static Path logFile(Path stateDir) {
        return stateDir.resolve("dataplane.log");
    }

    public static Path lockFile(Path stateDir) {
        return stateDir.resolve("dataplane.lock");
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serializable: " + value.getClass(), e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
