package dev.rollgate.health;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;

/** Ready-made checks for the usual dependencies and conditions. */
public final class Checks {

    private Checks() {}

    /**
     * A JDBC check: borrows a connection, then {@code Connection.isValid} or, when {@code query}
     * is given, runs it; both bounded by {@code timeout}.
     */
    public static HealthCheck jdbc(Callable<Connection> connections, String query, Duration timeout) {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        return () -> {
            try (Connection c = connections.call()) {
                if (query == null) {
                    return CheckResult.of(c.isValid(seconds)).with("database", c.getMetaData().getDatabaseProductName());
                }
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(seconds);
                    try (ResultSet rs = s.executeQuery(query)) {
                        return CheckResult.of(rs.next()).with("query", query);
                    }
                }
            }
        };
    }

    /** An HTTP upstream: UP for a status from 200 to 399 within the timeout. */
    public static HealthCheck http(URI uri, Duration timeout) {
        return () -> {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setInstanceFollowRedirects(false);
            try {
                int status = c.getResponseCode();
                return CheckResult.of(status >= 200 && status < 400).with("url", uri.toString()).with("status", status);
            } finally {
                c.disconnect();
            }
        };
    }

    /** A TCP connect to host:port within the timeout. */
    public static HealthCheck tcp(String host, int port, Duration timeout) {
        return () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                return CheckResult.up().with("address", host + ":" + port);
            } catch (IOException e) {
                return CheckResult.down(e.getMessage() == null ? e.toString() : e.getMessage()).with("address", host + ":" + port);
            }
        };
    }

    /** Free space on the file system holding {@code path} is at least {@code minFreeBytes}. */
    public static HealthCheck diskSpace(Path path, long minFreeBytes) {
        return () -> {
            long free = Files.getFileStore(path).getUsableSpace();
            return CheckResult.of(free >= minFreeBytes).with("path", path.toString()).with("free", free).with("threshold", minFreeBytes);
        };
    }

    /** No thread is deadlocked on monitors or ownable synchronizers (a liveness check that is about this process only). */
    public static HealthCheck deadlocks() {
        return () -> {
            long[] ids = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            return CheckResult.of(ids == null).with("deadlockedThreads", ids == null ? 0 : ids.length);
        };
    }

    /**
     * A gauge at or above a threshold, such as a cache hit rate of at least 0.6 before taking
     * traffic (a warm-up that readiness waits for).
     */
    public static HealthCheck atLeast(String gauge, DoubleSupplier value, double threshold) {
        return () -> {
            double v = value.getAsDouble();
            return CheckResult.of(v >= threshold).with(gauge, v).with("threshold", threshold);
        };
    }
}
