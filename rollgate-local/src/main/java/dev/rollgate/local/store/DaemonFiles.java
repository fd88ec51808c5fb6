package dev.rollgate.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.local.process.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The files in a state directory that let a CLI find its daemon: the admin token (created at first
 * start, mode 0600, kept across restarts) and {@code daemon.properties} (pid and admin port of the running daemon).
 *
 * <p>The address is a properties file, not JSON: every command that talks to the daemon reads it first,
 * and the JDK reads properties at no cost, where a JSON parser's first use costs a short command 30 ms
 * (Jackson's mapper loads the locale data; JDK 25's {@code BigDecimal} computes 5^65536 as it loads).
 */
public final class DaemonFiles {

    /** Where the running daemon is: its pid, the admin API's port, and where its log goes. */
    public record Address(long pid, int port, String log) {}

    private DaemonFiles() {}

    public static Path tokenFile(Path stateDir) {
        return stateDir.resolve("token");
    }

    public static Path addressFile(Path stateDir) {
        return stateDir.resolve("daemon.properties");
    }

    /** Where a daemon of an earlier build wrote its address. */
    private static Path legacyAddressFile(Path stateDir) {
        return stateDir.resolve("daemon.json");
    }

    public static Path logFile(Path stateDir) {
        return stateDir.resolve("daemon.log");
    }

    public static Path database(Path stateDir) {
        return stateDir.resolve("state.db");
    }

    /** The token, created with 256 random bits on first use; only the owner may read it. */
    public static String token(Path stateDir) throws IOException {
        Path file = tokenFile(stateDir);
        if (Files.exists(file)) return Files.readString(file).strip();
        String token = HexFormat.of().formatHex(random());
        PrivateFiles.directory(stateDir);
        Path tmp = stateDir.resolve("token.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, token + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return token;
    }

    private static byte[] random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    public static Optional<String> readToken(Path stateDir) {
        try {
            return Optional.of(Files.readString(tokenFile(stateDir)).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void writeAddress(Path stateDir, Address a) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(a.pid()));
        p.setProperty("port", Integer.toString(a.port()));
        if (a.log() != null) p.setProperty("log", a.log());
        StringWriter text = new StringWriter();
        p.store(text, "the running Rollgate daemon");
        PrivateFiles.write(addressFile(stateDir), text.toString());
    }

    public static Optional<Address> readAddress(Path stateDir) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(addressFile(stateDir))) {
            p.load(in);
            return Optional.of(new Address(Long.parseLong(p.getProperty("pid", "")), Integer.parseInt(p.getProperty("port", "")),
                    p.getProperty("log")));
        } catch (NoSuchFileException e) {
            return readLegacyAddress(stateDir);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The address a daemon of an earlier build wrote ({@code daemon.json}), so that a newer CLI still finds it. */
    private static Optional<Address> readLegacyAddress(Path stateDir) {
        try {
            JsonNode a = Json.MAPPER.readTree(Files.readString(legacyAddressFile(stateDir)));
            if (!a.path("pid").canConvertToLong() || !a.path("port").canConvertToInt()) return Optional.empty();
            return Optional.of(new Address(a.get("pid").asLong(), a.get("port").asInt(), a.path("log").asText(null)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
