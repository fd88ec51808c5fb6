package dev.rollgate.testkit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * gRPC clients under load for the end-to-end tests: {@code clients} threads, each calling
 * {@code rollgate.test.Echo/Say} over one h2c channel to loopback {@code port}, one call after
 * another, until {@link #stop}; what every call ended with is counted by status.
 */
public final class GrpcLoad implements AutoCloseable {

    /** Calls that ended OK, and the others by their status code; the answers' first words (their version), counted. */
    public record Report(long ok, Map<Status.Code, Long> failed, Map<String, Long> versions) {
        public long failures() {
            return failed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ok = new AtomicLong();
    private final Map<Status.Code, Long> failed = new ConcurrentHashMap<>();
    private final Map<String, Long> versions = new ConcurrentHashMap<>();

    private GrpcLoad() {}

    public static GrpcLoad start(int port, int clients) {
        GrpcLoad load = new GrpcLoad();
        for (int i = 0; i < clients; i++) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            load.channels.add(ch);
            int client = i;
            load.threads.add(Thread.ofPlatform().daemon().name("grpc-load-" + i).start(() -> load.run(ch, client)));
        }
        return load;
    }

    private void run(ManagedChannel ch, int client) {
        long n = 0;
        while (running.get()) {
            try {
                String answer = ClientCalls.blockingUnaryCall(ch, GrpcEcho.SAY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                        "call " + client + "-" + n++);
                ok.incrementAndGet();
                versions.merge(answer.substring(0, answer.indexOf(' ')), 1L, Long::sum);
            } catch (StatusRuntimeException e) {
                failed.merge(e.getStatus().getCode(), 1L, Long::sum);
            }
        }
    }

    /** Calls that ended OK so far. */
    public long ok() {
        return ok.get();
    }

    /** Stops the clients (each finishes its call under way) and says what they saw. */
    public Report stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join(15_000);
        return new Report(ok.get(), Map.copyOf(failed), Map.copyOf(versions));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join(15_000);
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
