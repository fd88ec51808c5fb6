package dev.rollgate.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class ChecksTest {

    static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void tcpAndHttpAgainstRealSockets() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/ok") ? 204 : 500, -1);
            ex.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        try {
            assertThat(Checks.tcp("127.0.0.1", port, SECOND).check().status()).isEqualTo(Status.UP);
            assertThat(Checks.http(URI.create("http://127.0.0.1:" + port + "/ok"), SECOND).check().data()).containsEntry("status", 204);
            CheckResult bad = Checks.http(URI.create("http://127.0.0.1:" + port + "/broken"), SECOND).check();
            assertThat(bad.status()).isEqualTo(Status.DOWN);
            assertThat(bad.data()).containsEntry("status", 500);
        } finally {
            server.stop(0);
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CheckResult refused = Checks.tcp("127.0.0.1", closed, SECOND).check();
        assertThat(refused.status()).isEqualTo(Status.DOWN);
        assertThat((String) refused.data().get("error")).contains("Connection refused");
    }

    @Test
    void jdbcUsesIsValidOrAQuery() throws Exception {
        AtomicBoolean valid = new AtomicBoolean(true);
        AtomicBoolean closed = new AtomicBoolean();
        Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isValid" -> valid.get();
                    case "getMetaData" -> Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                            (p, m, a) -> m.getName().equals("getDatabaseProductName") ? "PostgreSQL" : null);
                    case "close" -> {
                        closed.set(true);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        HealthCheck check = Checks.jdbc(() -> connection, null, SECOND);
        assertThat(check.check()).isEqualTo(CheckResult.up().with("database", "PostgreSQL"));
        assertThat(closed).isTrue();
        valid.set(false);
        assertThat(check.check().status()).isEqualTo(Status.DOWN);
    }

    @Test
    void diskSpaceAndGaugeThresholds() throws Exception {
        assertThat(Checks.diskSpace(Path.of("."), 1).check().status()).isEqualTo(Status.UP);
        assertThat(Checks.diskSpace(Path.of("."), Long.MAX_VALUE).check().status()).isEqualTo(Status.DOWN);
        assertThat(Checks.atLeast("hitRate", () -> 0.59, 0.6).check()).isEqualTo(
                new CheckResult(Status.DOWN, java.util.Map.of()).with("hitRate", 0.59).with("threshold", 0.6));
        assertThat(Checks.atLeast("hitRate", () -> 0.6, 0.6).check().status()).isEqualTo(Status.UP);
    }

    @Test
    void deadlockedThreadsAreFound() throws Exception {
        assertThat(Checks.deadlocks().check().status()).isEqualTo(Status.UP);
        ReentrantLock a = new ReentrantLock(), b = new ReentrantLock();
        CountDownLatch bothHeld = new CountDownLatch(2);
        for (ReentrantLock[] order : new ReentrantLock[][] {{a, b}, {b, a}}) {
            Thread t = new Thread(() -> {
                order[0].lock();
                bothHeld.countDown();
                try {
                    bothHeld.await();
                } catch (InterruptedException e) {
                    return;
                }
                order[1].lock(); // never returns: a real deadlock, in daemon threads that end with the test JVM
            });
            t.setDaemon(true);
            t.start();
        }
        bothHeld.await();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Checks.deadlocks().check().status() == Status.DOWN);
        assertThat(Checks.deadlocks().check().data()).containsEntry("deadlockedThreads", 2);
    }
}
