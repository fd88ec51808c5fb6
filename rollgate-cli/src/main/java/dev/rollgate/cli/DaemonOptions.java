package dev.rollgate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir}: which daemon a command talks to (default $ROLLGATE_STATE_DIR, else ~/.rollgate). */
final class DaemonOptions {

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The daemon's state directory (default: $ROLLGATE_STATE_DIR or ~/.rollgate).")
    Path stateDir;

    Path dir() {
        return StateDir.resolve(stateDir);
    }

    DaemonClient client() {
        return DaemonClient.connect(dir());
    }
}
