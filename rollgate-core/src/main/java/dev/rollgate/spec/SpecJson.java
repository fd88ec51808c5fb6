package dev.rollgate.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * A validated Rollout or Template as JSON and back, for the daemon's store. Only documents that
 * passed {@link SpecParser} are written, so reading one back needs no validation of its own.
 */
public final class SpecJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SpecJson() {}

    public static String write(Object rolloutOrTemplate) {
        try {
            return MAPPER.writeValueAsString(rolloutOrTemplate);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec is plain data and always serializes", e);
        }
    }

    /** A spec (or any part of one) as a JSON tree, as it is stored: for comparing two of them field by field. */
    public static JsonNode tree(Object specOrPart) {
        return TREE.valueToTree(specOrPart);
    }

    /** Durations as ISO-8601 text (PT30S) rather than seconds with nine decimals, for people to read. */
    private static final ObjectMapper TREE = MAPPER.copy().disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    public static Rollout rollout(String json) {
        return read(json, Rollout.class);
    }

    public static Template template(String json) {
        return read(json, Template.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored spec does not read back as " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
