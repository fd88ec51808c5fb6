package dev.rollgate.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo's database mode: each request writes a user into the columns this version writes and
 * reads it back from the column it reads, as an app in the middle of a column rename does. Its
 * sessions carry {@code $PGAPPNAME}, which Rollgate sets per revision.
 */
final class UserTable {

    private static final int CONNECTIONS = 4;

    private final String url;
    private final String insert;
    private final String select;
    private final int writes;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(CONNECTIONS);
    private final java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(CONNECTIONS);

    UserTable(String url, String read, List<String> write) {
        this.url = url;
        this.writes = write.size();
        this.insert = "INSERT INTO users (" + String.join(", ", write) + ") VALUES (" + "?, ".repeat(write.size() - 1) + "?) RETURNING id";
        this.select = "SELECT " + read + " FROM users WHERE id = ?";
    }

    /** Writes a user, reads it back; the value read, or the database's error. */
    String roundTrip() throws SQLException, InterruptedException {
        permits.acquire();
        Connection c = idle.poll();
        boolean broken = false;
        try {
            if (c == null) c = connect();
            String name = "user-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
            long id;
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                for (int i = 1; i <= writes; i++) ps.setString(i, name);
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    id = r.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(select)) {
                ps.setLong(1, id);
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    return r.getString(1);
                }
            }
        } catch (SQLException e) {
            broken = c != null && !c.isValid(1);
            throw e;
        } finally {
            if (c != null && !broken) idle.offer(c);
            else if (c != null) c.close();
            permits.release();
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        String app = System.getenv("PGAPPNAME");
        if (app != null) p.setProperty("ApplicationName", app);
        p.setProperty("connectTimeout", "5");
        Connection c = DriverManager.getConnection(url, p);
        c.setAutoCommit(true);
        return c;
    }
}
