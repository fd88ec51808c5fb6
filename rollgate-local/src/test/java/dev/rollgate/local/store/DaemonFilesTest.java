package dev.rollgate.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the running daemon is: the file it writes, what a CLI reads back, and the file of an earlier build. */
class DaemonFilesTest {

    @TempDir
    Path dir;

    @Test
    void theAddressIsReadBackAsWrittenEvenWithAPathThatPropertiesEscape() throws Exception {
        var address = new DaemonFiles.Address(4242, 45929, dir.resolve("odd: name=#1\\daemon.log").toString());
        DaemonFiles.writeAddress(dir, address);
        assertThat(DaemonFiles.readAddress(dir)).contains(address);
        assertThat(Files.readString(DaemonFiles.addressFile(dir))).contains("port=45929").contains("pid=4242");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DaemonFiles.addressFile(dir)))).isEqualTo("rw-------");
    }

    @Test
    void aMissingOrBrokenAddressIsNoDaemon() throws Exception {
        assertThat(DaemonFiles.readAddress(dir)).isEmpty();
        Files.writeString(DaemonFiles.addressFile(dir), "pid=12\nport=not-a-port\n");
        assertThat(DaemonFiles.readAddress(dir)).isEmpty();
        Files.writeString(DaemonFiles.addressFile(dir), "port=80\n");
        assertThat(DaemonFiles.readAddress(dir)).as("no pid").isEmpty();
    }

    @Test
    void aDaemonOfAnEarlierBuildIsFoundByItsJsonFile() throws Exception {
        Files.writeString(dir.resolve("daemon.json"), "{\"pid\":77,\"port\":44965,\"log\":\"/tmp/x/daemon.log\"}");
        assertThat(DaemonFiles.readAddress(dir)).contains(new DaemonFiles.Address(77, 44965, "/tmp/x/daemon.log"));
        DaemonFiles.writeAddress(dir, new DaemonFiles.Address(78, 1234, null));
        assertThat(DaemonFiles.readAddress(dir)).as("the current file wins").contains(new DaemonFiles.Address(78, 1234, null));
    }
}
