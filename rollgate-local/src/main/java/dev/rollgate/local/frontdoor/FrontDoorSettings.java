package dev.rollgate.local.frontdoor;

import dev.rollgate.json.Json;
import dev.rollgate.local.process.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's public listener, as {@code rollgate up} flags set it and {@code DIR/frontdoor.json}
 * keeps it for the next start (the daemon's config file: edit it, or pass the flags again).
 *
 * @param listen          plain HTTP, "HOST:PORT" or ":PORT" (null: none)
 * @param listenTls       TLS, the same form (null: none)
 * @param trustedProxies  addresses or CIDRs whose X-Forwarded-For is kept
 * @param accessLog       where the JSON access log goes (null: none)
 * @param acme            where ACME certificates come from (null: no ACME)
 */
public record FrontDoorSettings(String listen, String listenTls, List<String> trustedProxies, String accessLog, Acme acme) {

    /**
     * An ACME directory (Let's Encrypt's, its staging one, or pebble), the account's contact, an
     * extra CA to trust for the directory's own TLS (pebble's), and how long before expiry to renew
     * (a third of a certificate's lifetime at most).
     */
    public record Acme(String directory, String email, String caFile, Duration renewBefore) {
        public Acme {
            if (renewBefore == null) renewBefore = Duration.ofDays(30);
        }
    }

    public static final FrontDoorSettings NONE = new FrontDoorSettings(null, null, List.of(), null, null);

    public FrontDoorSettings {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    public boolean listening() {
        return listen != null || listenTls != null;
    }

    static Path file(Path stateDir) {
        return stateDir.resolve("frontdoor.json");
    }

    public static Optional<FrontDoorSettings> read(Path stateDir) throws IOException {
        Path f = file(stateDir);
        if (!Files.exists(f)) return Optional.empty();
        try {
            return Optional.of(Json.read(Files.readString(f), FrontDoorSettings.class));
        } catch (IllegalArgumentException e) {
            throw new IOException(f + ": " + e.getMessage());
        }
    }

    public void write(Path stateDir) throws IOException {
        PrivateFiles.write(file(stateDir), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this));
    }
}
