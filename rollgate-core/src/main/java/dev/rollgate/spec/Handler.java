package dev.rollgate.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What a probe or a lifecycle hook does: Kubernetes' handler types. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Handler.HttpGet.class, name = "httpGet"),
        @JsonSubTypes.Type(value = Handler.TcpSocket.class, name = "tcpSocket"),
        @JsonSubTypes.Type(value = Handler.Exec.class, name = "exec"),
        @JsonSubTypes.Type(value = Handler.Grpc.class, name = "grpc"),
        @JsonSubTypes.Type(value = Handler.Sleep.class, name = "sleep")})
public sealed interface Handler {

    /** An HTTP GET; success is a status from 200 to 399. {@code port} null means the replica's PORT. */
    record HttpGet(String path, Integer port, String host, String scheme, List<HttpHeader> httpHeaders)
            implements Handler {
        public HttpGet {
            httpHeaders = List.copyOf(httpHeaders);
        }
    }

    /** A TCP connect; success is an accepted connection. {@code port} null means the replica's PORT. */
    record TcpSocket(Integer port, String host) implements Handler {}

    /**
     * The gRPC Health Checking Protocol's Check call; success is SERVING. {@code port} null means the
     * replica's PORT; {@code service} is the name asked about ("" for the server as a whole).
     */
    record Grpc(Integer port, String service) implements Handler {}

    /** A command run without a shell; success is exit code 0. */
    record Exec(List<String> command) implements Handler {
        public Exec {
            command = List.copyOf(command);
        }
    }

    /** A pause (lifecycle hooks only), as Kubernetes' {@code preStop.sleep}. */
    record Sleep(int seconds) implements Handler {}

    /** One request header of an httpGet handler. */
    record HttpHeader(String name, String value) {}

    default String describe() {
        return switch (this) {
            case HttpGet h -> "httpGet " + h.scheme().toLowerCase() + "://" + h.host() + ":"
                    + (h.port() == null ? "$PORT" : h.port()) + h.path();
            case TcpSocket t -> "tcpSocket " + t.host() + ":" + (t.port() == null ? "$PORT" : t.port());
            case Grpc g -> "grpc 127.0.0.1:" + (g.port() == null ? "$PORT" : g.port()) + (g.service().isEmpty() ? "" : " " + g.service());
            case Exec e -> "exec " + String.join(" ", e.command());
            case Sleep s -> "sleep " + s.seconds() + "s";
        };
    }
}
