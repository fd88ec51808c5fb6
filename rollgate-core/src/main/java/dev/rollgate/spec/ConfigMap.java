package dev.rollgate.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A ConfigMap document (Kubernetes' shape): named keys to text, versioned by the daemon and shown freely. */
public record ConfigMap(String name, Map<String, String> data) {

    public static final String KIND = "ConfigMap";
    public static final String API_VERSION = "v1";

    public ConfigMap {
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data == null ? Map.of() : data));
    }
}
