package dev.rollgate.kubernetes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

/** Rollgate's records as plain maps in a Rollout's status, and back: times as ISO-8601 text, unknown fields ignored. */
final class ClusterJson {

    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ClusterJson() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(Object value) {
        return MAPPER.convertValue(value, Map.class);
    }

    static <T> T fromMap(Object map, Class<T> type) {
        return MAPPER.convertValue(map, type);
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
