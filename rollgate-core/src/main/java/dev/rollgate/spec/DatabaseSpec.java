package dev.rollgate.spec;

import java.time.Duration;

/**
 * A PostgreSQL database whose schema changes go with the rollout: expand migrations run before the
 * new revision's first replica starts, contract migrations only once nothing older runs and the
 * rollback window has passed. Credentials never appear here: only where to find the password.
 *
 * @param passwordEnv   an environment variable of the daemon that holds the password, or null
 * @param passwordFile  a file that holds it (relative to the spec's directory), or null
 * @param migrations    the migrations folder, relative to the spec's directory
 * @param contractAfter how long the rollout must have been complete and healthy before a contract runs
 * @param lockTimeout   PostgreSQL's lock_timeout for every migration statement
 */
public record DatabaseSpec(String url, String user, String passwordEnv, String passwordFile, String migrations,
                           Duration contractAfter, Duration lockTimeout) {

    public static final Duration CONTRACT_AFTER = Duration.ofMinutes(10);
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);
}
