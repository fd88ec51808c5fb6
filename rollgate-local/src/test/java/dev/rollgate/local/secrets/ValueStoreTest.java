package dev.rollgate.local.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.spec.ValueRef.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueStoreTest {

    @TempDir
    Path dir;

    private ValueStore open() throws Exception {
        return new ValueStore(dir.resolve("state.db"), dir.resolve(SecretKey.DEFAULT_FILE), true);
    }

    @Test
    void aSecretIsSealedAtRestWithAKeyOfItsOwnAndOpensOnlyWithIt() throws Exception {
        try (ValueStore store = open()) {
            assertThat(store.put(Kind.SECRET, "db", Map.of("password", "hunter2-very-secret"), true, false).result()).isEqualTo("created");
            assertThat(store.values(Kind.SECRET, "db", 1)).containsExactly(Map.entry("password", "hunter2-very-secret"));
            assertThat(store.latest(Kind.SECRET, "db").orElseThrow().sizes()).containsExactly(Map.entry("password", 19));
        }
        Path key = dir.resolve(SecretKey.DEFAULT_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        for (String file : new String[] {"state.db", "state.db-wal"}) {
            Path f = dir.resolve(file);
            if (Files.exists(f)) assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        }
        // Another key: the daemon says which secret and which file, and keeps the sealed value.
        Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]));
        try (ValueStore store = open()) {
            assertThat(store.keyProblem()).get().asString().contains(key.toString()).contains("secret db");
            assertThatThrownBy(() -> store.values(Kind.SECRET, "db", 1)).isInstanceOf(SecretKey.KeyException.class)
                    .hasMessageContaining("secret db (version 1) was sealed with another key");
        }
        Files.delete(key);
        try (ValueStore store = open()) {
            assertThat(store.keyProblem()).get().asString().contains(key + " is missing").contains("secret db");
            assertThatThrownBy(() -> store.put(Kind.SECRET, "db", Map.of("password", "x"), false, false))
                    .isInstanceOf(SecretKey.KeyException.class).hasMessageContaining("is missing");
            assertThat(Files.exists(key)).as("a lost key is never replaced by a new one while secrets are sealed with it").isFalse();
            assertThat(store.history(Kind.SECRET, "db")).hasSize(1);
        }
    }

    @Test
    void versionsGrowOnlyOnAChangeAndStayWhileARevisionNamesThem() throws Exception {
        try (ValueStore store = open()) {
            store.put(Kind.CONFIG_MAP, "app", Map.of("level", "info"), false, true);
            assertThat(store.put(Kind.CONFIG_MAP, "app", Map.of("level", "info"), false, true).result()).isEqualTo("unchanged");
            assertThat(store.put(Kind.CONFIG_MAP, "app", Map.of("level", "debug"), false, true))
                    .isEqualTo(new ValueStore.Written("app", 2, "configured"));
            store.put(Kind.CONFIG_MAP, "app", Map.of("level", "warn"), false, true);
            assertThatThrownBy(() -> store.put(Kind.CONFIG_MAP, "app", Map.of("level", "x"), true, false))
                    .hasMessageContaining("exists (version 3)").hasMessageContaining("rollgate config set app");
            assertThatThrownBy(() -> store.put(Kind.SECRET, "nope", Map.of("k", "v"), false, false))
                    .hasMessageContaining("no secret named nope").hasMessageContaining("rollgate secret create nope");

            assertThat(store.prune(Set.of("configMap/app/1"))).as("version 2: no revision names it").isEqualTo(1);
            assertThat(store.history(Kind.CONFIG_MAP, "app")).extracting(ValueStore.Version::version).containsExactly(1, 3);

            store.delete(Kind.CONFIG_MAP, "app");
            assertThat(store.list(Kind.CONFIG_MAP)).isEmpty();
            assertThat(store.values(Kind.CONFIG_MAP, "app", 1)).as("an old revision can still start").containsEntry("level", "info");
            store.prune(Set.of());
            assertThatThrownBy(() -> store.values(Kind.CONFIG_MAP, "app", 1)).hasMessageContaining("has no version 1");
            assertThat(store.put(Kind.CONFIG_MAP, "app", Map.of("level", "info"), true, false).version())
                    .as("numbers are never reused").isEqualTo(4);
        }
    }

    @Test
    void aKeyFileIsThirtyTwoBytesRawOrBase64() throws Exception {
        Path raw = Files.write(dir.resolve("raw"), new byte[32]);
        Path text = Files.writeString(dir.resolve("text"), Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        assertThat(SecretKey.read(raw).id()).isEqualTo(SecretKey.read(text).id());
        Path wrong = Files.writeString(dir.resolve("short"), "not a key");
        assertThatThrownBy(() -> SecretKey.read(wrong)).hasMessageContaining("is not an AES-256 key").hasMessageContaining("32 bytes");
        assertThat(SecretKey.where(dir, raw)).isEqualTo(raw.toAbsolutePath());
    }
}
