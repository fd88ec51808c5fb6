package dev.rollgate.local.secrets;

import dev.rollgate.local.process.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The AES-256 key that seals secrets at rest, in a file of its own (0600), never in the store: a copy
 * of {@code state.db} without it is ciphertext. Where it is, in order: the file given to
 * {@code rollgate up --secret-key-file}, systemd's {@code $CREDENTIALS_DIRECTORY/rollgate-secret-key}
 * ({@code LoadCredential=}), else {@code DIR/secret.key}, made on the first {@code secret create}.
 *
 * @param id the first 8 bytes of the key's SHA-256, stored with each sealed version so a wrong key is named, not guessed
 */
public record SecretKey(byte[] bytes, String id, Path file) {

    public static final String DEFAULT_FILE = "secret.key";
    public static final String CREDENTIAL = "rollgate-secret-key";
    static final int LENGTH = 32;

    /** Where the key is read from: {@code explicit} if given, else systemd's credential if present, else {@code DIR/secret.key}. */
    public static Path where(Path stateDir, Path explicit) {
        if (explicit != null) return explicit.toAbsolutePath();
        String credentials = System.getenv("CREDENTIALS_DIRECTORY");
        if (credentials != null && Files.isRegularFile(Path.of(credentials, CREDENTIAL))) return Path.of(credentials, CREDENTIAL);
        return stateDir.resolve(DEFAULT_FILE);
    }

    /** The key in {@code file}: 32 bytes, raw or base64 text (as {@code systemd-creds} and {@code openssl rand -base64 32} write them). */
    public static SecretKey read(Path file) throws KeyException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyException("the secret key " + file + " is missing");
        } catch (IOException e) {
            throw new KeyException("the secret key " + file + " cannot be read: " + e.getMessage());
        }
        byte[] key = content.length == LENGTH ? content : decoded(content);
        if (key == null || key.length != LENGTH) {
            throw new KeyException("the secret key " + file + " is not an AES-256 key: it holds " + content.length
                    + " bytes; a key is 32 bytes, raw or base64 (e.g. openssl rand -base64 32)");
        }
        return new SecretKey(key, idOf(key), file);
    }

    /** The key in {@code file}, made (32 random bytes, 0600) when there is none yet. */
    public static SecretKey readOrCreate(Path file) throws KeyException {
        if (!Files.exists(file)) {
            byte[] key = new byte[LENGTH];
            new SecureRandom().nextBytes(key);
            try {
                PrivateFiles.write(file, Base64.getEncoder().encodeToString(key) + "\n");
            } catch (IOException e) {
                throw new KeyException("cannot write a new secret key to " + file + ": " + e.getMessage());
            }
        }
        return read(file);
    }

    private static byte[] decoded(byte[] content) {
        try {
            return Base64.getDecoder().decode(new String(content, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    static String idOf(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The key cannot be used: missing, unreadable, malformed, or not the one the secrets were sealed with. */
    public static final class KeyException extends Exception {
        public KeyException(String message) {
            super(message);
        }
    }
}
