package dev.rollgate.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollgate.spec.Template;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a template, as Kubernetes' {@code pod-template-hash}: equal templates give the
 * same hash, so re-applying an old template finds (re-adopts) its old revision group.
 */
public final class TemplateHash {

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private TemplateHash() {}

    public static String of(Template template) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(template).getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("a template is plain data and always hashes", e);
        }
    }
}
