package dev.rollgate.local.daemon;

import dev.rollgate.local.api.AdminApi;
import dev.rollgate.local.dataplane.client.DataPlaneClient;
import dev.rollgate.local.frontdoor.AcmeCertificates;
import dev.rollgate.local.frontdoor.FrontDoorSettings;
import dev.rollgate.local.process.JavaCommand;
import dev.rollgate.local.store.DaemonFiles;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * How a daemon opens: its state directory, then the data plane (attached to, or started), the front
 * door and its ACME certificates, every stored service resumed ({@link Adoption}), the drift watch,
 * and last the admin API and the address file that tells the CLI where it is. Anything that fails
 * closes what was opened.
 */
final class DaemonStart {

    private DaemonStart() {}

    /** See {@link Daemon#open(Path, int, FrontDoorSettings, Path)}. */
    static Daemon open(Path stateDir, int adminPort, FrontDoorSettings frontDoor, Path secretKeyFile) throws IOException, SQLException {
        StateDirectory opened = StateDirectory.open(stateDir, secretKeyFile);
        Path dir = opened.dir();
        Daemon d = new Daemon(opened);
        try {
            String token = DaemonFiles.token(dir);
            try {
                // The classes a data plane loaded are archived when it stops (AppCDS): a restarted one starts in half the time.
                var java = JavaCommand.current("-XX:+UseSerialGC", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError",
                        "-XX:SharedArchiveFile=" + dir.resolve("dataplane.jsa"), "-XX:+AutoCreateSharedArchive", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
                d.dataPlane = DataPlaneClient.attach(dir, token, java, (type, reason, message) -> d.event(type, reason, "dataplane", message));
            } catch (IOException e) {
                throw new IOException("the data plane: " + e.getMessage(), e);
            }
            if (frontDoor != null) frontDoor.write(dir);
            d.acme = new AcmeCertificates(dir, new AcmeCertificates.Host() {
                @Override
                public void challenge(String token, String answer) throws IOException {
                    d.dataPlane.challenge(token, answer);
                }

                @Override
                public void certificatesChanged() {
                    d.publishFrontDoor();
                }

                @Override
                public void event(String type, String reason, String message) {
                    d.event(type, reason, "frontdoor", message);
                }
            });
            d.frontDoor = FrontDoorSettings.read(dir).orElse(FrontDoorSettings.NONE);
            Adoption.resume(d);
            d.watches.add(Thread.ofVirtual().name("drift-watch").start(() -> DriftWatch.run(d)));
            d.watches.add(Thread.ofVirtual().name("ejection-watch").start(() -> EjectionWatch.run(d)));
            String door = d.publishFrontDoor();
            if (door != null && d.frontDoor.listening()) throw new IOException("the front door: " + door);
            try {
                d.admin = new AdminApi(d, token, adminPort);
            } catch (BindException e) {
                throw new IOException("the admin API cannot listen on 127.0.0.1:" + adminPort + " (--admin-port): " + e.getMessage(), e);
            }
            DaemonFiles.writeAddress(dir, new DaemonFiles.Address(ProcessHandle.current().pid(), d.admin.port(),
                    DaemonFiles.logFile(dir).toString()));
        } catch (IOException | SQLException | RuntimeException e) {
            d.closeNow();
            throw e;
        }
        return d;
    }
}
