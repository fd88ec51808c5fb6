package dev.rollgate.cli;

import java.nio.file.Path;

/** Where Rollgate keeps its files: {@code --state-dir}, else $ROLLGATE_STATE_DIR, else ~/.rollgate. */
final class StateDir {

    private StateDir() {}

    static Path resolve(Path option) {
        if (option != null) return option.toAbsolutePath();
        String env = System.getenv("ROLLGATE_STATE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
        return Path.of(System.getProperty("user.home"), ".rollgate");
    }
}
