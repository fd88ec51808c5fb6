package dev.rollgate.local.process;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the JDK refuses to start is a failed start with a reason (backed off by the replica), never an exception that kills its thread. */
class ProcessLauncherTest {

    @TempDir
    Path dir;

    @Test
    void aNulInTheEnvironmentIsAFailedStart() {
        assertThatThrownBy(() -> ProcessLauncher.launch(List.of("true"), Map.of("PATH", "/usr/bin:/bin", "A", "x\0y"), dir, 1, dir.resolve("logs/r.log")))
                .isInstanceOf(ProcessLauncher.LaunchException.class)
                .hasMessage("cannot pass the environment to the process: Invalid environment variable value: \"x\0y\"");
    }

    @Test
    void aNulInAnArgumentIsAFailedStart() {
        assertThatThrownBy(() -> ProcessLauncher.launch(List.of("true", "a\0b"), Map.of("PATH", "/usr/bin:/bin"), dir, 1, dir.resolve("logs/r.log")))
                .isInstanceOf(ProcessLauncher.LaunchException.class)
                .hasMessageStartingWith("could not start true: ");
    }
}
