package dev.rollgate.testkit;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A small gRPC server for the end-to-end tests, run as a replica: {@code rollgate.test.Echo/Say}
 * answers "VERSION REPLICA: TEXT", and the gRPC health service says SERVING. Options:
 * {@code --port N} (default $PORT), {@code --version V}, {@code --fail-rate R} (that share of calls
 * ends UNAVAILABLE), {@code --fail-when FILE} (the rate applies only while FILE exists). On SIGTERM
 * it stops taking calls (GOAWAY), finishes those in flight, and exits.
 */
public final class GrpcTestServer {

    private GrpcTestServer() {}

    public static void main(String[] args) throws Exception {
        int port = System.getenv("PORT") == null ? 50051 : Integer.parseInt(System.getenv("PORT"));
        String version = "v1";
        double failRate = 0;
        Path failWhen = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--version" -> version = args[i + 1];
                case "--fail-rate" -> failRate = Double.parseDouble(args[i + 1]);
                case "--fail-when" -> failWhen = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Server server = start(port, version, System.getenv().getOrDefault("ROLLGATE_REPLICA", "replica"), failRate, failWhen);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            try {
                server.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        server.awaitTermination();
    }

    /** Starts the server on loopback {@code port} (0: any); {@link Server#getPort} says which. */
    public static Server start(int port, String version, String replica, double failRate, Path failWhen) throws Exception {
        return start(port, version, replica, failRate, failWhen, Integer.MAX_VALUE);
    }

    /** As above, taking at most {@code callsPerConnection} calls at once on one connection (its SETTINGS_MAX_CONCURRENT_STREAMS). */
    public static Server start(int port, String version, String replica, double failRate, Path failWhen, int callsPerConnection)
            throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        ServerServiceDefinition echo = ServerServiceDefinition.builder("rollgate.test.Echo")
                .addMethod(GrpcEcho.SAY, ServerCalls.asyncUnaryCall((request, reply) -> {
                    if (failRate > 0 && (failWhen == null || Files.exists(failWhen)) && ThreadLocalRandom.current().nextDouble() < failRate) {
                        reply.onError(Status.UNAVAILABLE.withDescription(version + " failed on purpose").asRuntimeException());
                        return;
                    }
                    reply.onNext(version + " " + replica + ": " + request);
                    reply.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).maxConcurrentCallsPerConnection(callsPerConnection)
                .addService(echo).addService(health.getHealthService()).build().start();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus("rollgate.test.Echo", ServingStatus.SERVING);
        return server;
    }
}
