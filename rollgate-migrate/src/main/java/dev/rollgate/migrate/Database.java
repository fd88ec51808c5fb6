package dev.rollgate.migrate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * A service's PostgreSQL database as Rollgate reaches it: the JDBC URL, the user and a password
 * that came from an environment variable or a file (never the spec), and the {@code lock_timeout}
 * every migration statement runs with.
 */
public record Database(String url, String user, String password, Duration lockTimeout) {

    /** The application_name Rollgate's own sessions carry, so that they are never taken for a replica's. */
    public static final String APPLICATION = "rollgate";

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("ApplicationName", APPLICATION);
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url, p);
    }

    /** {@code lock_timeout} as PostgreSQL reads it. */
    String lockTimeoutSetting() {
        return lockTimeout.toMillis() + "ms";
    }
}
