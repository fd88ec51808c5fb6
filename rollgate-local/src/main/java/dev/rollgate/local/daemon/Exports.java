package dev.rollgate.local.daemon;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollgate.json.Json;
import dev.rollgate.local.ApiException;
import dev.rollgate.local.secrets.SecretKey;
import dev.rollgate.local.secrets.ValueStore;
import dev.rollgate.spec.ConfigMap;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.Template;
import dev.rollgate.spec.TemplateDocument;
import dev.rollgate.spec.ValueRef;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rollgate export}: the live services as files that {@code apply} and {@code diff} accept. Each
 * service's documents as last applied, with what runs now written over them (the template of the
 * current revision, its pinned image, paused), the ConfigMaps it reads at the versions it runs, and
 * its secrets by reference only (name, version and keys: values never leave the daemon this way).
 */
final class Exports {

    /** A secret a service reads: exported by reference. */
    record SecretReference(String name, int version, List<String> keys, String service) {}

    /** One service's export: where its file was applied from, its documents, the secrets it needs. */
    record Export(String service, String baseDir, List<Object> documents, List<SecretReference> secrets) {}

    private static final TypeReference<List<Object>> DOCUMENTS = new TypeReference<>() {};

    private Exports() {}

    static Export of(Rollout live, String baseDir, String written, ValueStore values) throws SQLException {
        List<Object> documents = new ArrayList<>();
        List<SecretReference> secrets = new ArrayList<>();
        Template t = live.spec().template();
        for (ValueRef source : t.sources()) {
            var version = values.history(source.kind(), source.name()).stream().filter(v -> v.version() == source.version()).findFirst();
            if (source.kind() == ValueRef.Kind.SECRET) {
                secrets.add(new SecretReference(source.name(), source.version(),
                        version.map(v -> List.copyOf(v.sizes().keySet())).orElse(List.of()), live.name()));
                continue;
            }
            try {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("apiVersion", ConfigMap.API_VERSION);
                doc.put("kind", ConfigMap.KIND);
                doc.put("metadata", Map.of("name", source.name()));
                doc.put("data", values.values(source.kind(), source.name(), source.version()));
                documents.add(doc);
            } catch (SecretKey.KeyException e) {
                throw new ApiException(409, source + " cannot be exported: " + e.getMessage());
            }
        }
        List<Object> applied = read(written, live.name());
        Object rollout = applied.getFirst();
        if (rollout instanceof Map<?, ?> m && m.get("spec") instanceof Map<?, ?> spec) {
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) spec;
            s.put("template", TemplateDocument.of(t));
            if (live.spec().paused() || s.containsKey("paused")) s.put("paused", live.spec().paused());
        }
        documents.addAll(applied);
        return new Export(live.name(), baseDir, documents, secrets);
    }

    private static List<Object> read(String written, String service) {
        if (written == null) {
            throw new ApiException(409, service + " was applied by an earlier Rollgate, which kept no copy of its file: apply its file once"
                    + " more, then export");
        }
        try {
            return Json.MAPPER.readValue(written, DOCUMENTS);
        } catch (IOException e) {
            throw new IllegalStateException("the stored documents of " + service + " do not read back: " + e.getMessage(), e);
        }
    }
}
