package dev.rollgate.local.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaLogTest {

    @Test
    void rotatesPastTheCapKeepingBackups(@TempDir Path dir) throws Exception {
        ReplicaLog log = new ReplicaLog(dir.resolve("web-0.log"), 100, 2);
        for (int round = 1; round <= 3; round++) {
            Files.writeString(log.file(), ("round " + round + "\n").repeat(20), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            assertThat(log.rotateIfNeeded()).isTrue();
            assertThat(Files.size(log.file())).isZero();
        }
        assertThat(Files.readString(log.backup(1))).startsWith("round 3");
        assertThat(Files.readString(log.backup(2))).startsWith("round 2");
        assertThat(log.backup(3)).doesNotExist();
        Files.writeString(log.file(), "small\nlast line\n\n");
        assertThat(log.rotateIfNeeded()).isFalse();
        assertThat(log.tail(1)).containsExactly("last line");
    }
}
