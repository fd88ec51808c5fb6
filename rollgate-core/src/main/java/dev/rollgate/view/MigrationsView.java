package dev.rollgate.view;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A service's migrations as {@code rollgate migrate status} and {@code describe} show them: the
 * database (without credentials), the folder, and each file's state.
 */
public record MigrationsView(String database, String folder, Duration lockTimeout, Duration contractAfter, List<Migration> migrations,
                             String problem, Instant checkedAt) {

    /** One migration; {@code waitingFor} says why a held one waits. */
    public record Migration(String version, String file, String phase, String state, Instant appliedAt, List<String> waitingFor) {}
}
