package dev.rollgate.kubernetes;

import dev.rollgate.spec.KeyRef;
import dev.rollgate.spec.Template;
import dev.rollgate.spec.ValueRef;
import dev.rollgate.spec.Volume;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Secrets and ConfigMaps on Kubernetes, versioned with the revision. Each pass pins the version of
 * every source a template reads: a ConfigMap's is a hash of its data, a Secret's a hash of its uid and
 * resourceVersion (never of its values). A ReplicaSet's pods read an immutable copy of each,
 * {@code NAME-VERSION}, owned by that ReplicaSet: a rollback finds the old values in the old copy, and
 * the garbage collector removes a copy with its ReplicaSet.
 */
final class SourceCopies {

    private SourceCopies() {}

    /** The version a source has now, or empty when it does not exist. */
    static Optional<Integer> version(KubernetesClient client, String namespace, ValueRef ref) {
        HasMetadata o = get(client, namespace, ref.kind(), ref.name());
        if (o == null) return Optional.empty();
        String identity = switch (o) {
            case ConfigMap c -> "data " + new TreeMap<>(c.getData() == null ? Map.of() : c.getData())
                    + new TreeMap<>(c.getBinaryData() == null ? Map.of() : c.getBinaryData());
            default -> "object " + o.getMetadata().getUid() + "/" + o.getMetadata().getResourceVersion();
        };
        return Optional.of(positive(identity));
    }

    /**
     * The template with each source pinned ({@code held}: the version to keep for a source that does not roll out on a change,
     * 0 for the newest); the missing sources and keys, named by field, in {@code problems}.
     */
    static Template pin(KubernetesClient client, String namespace, Template t, ToIntFunction<ValueRef> held, List<String> problems) {
        for (Map.Entry<String, KeyRef> e : t.valueFrom().entrySet()) {
            ValueRef ref = e.getValue().source();
            HasMetadata o = get(client, namespace, ref.kind(), ref.name());
            if (o == null) problems.add("spec.template.env " + e.getKey() + ": no " + kind(ref) + " " + ref.name() + " in namespace " + namespace);
            else if (!keys(o).contains(e.getValue().key())) {
                problems.add("spec.template.env " + e.getKey() + ": " + kind(ref) + " " + ref.name() + " has no key \"" + e.getValue().key() + "\"");
            }
        }
        for (Volume v : t.volumes()) {
            if (get(client, namespace, v.source().kind(), v.source().name()) == null) {
                problems.add("spec.template.volumes " + v.name() + ": no " + kind(v.source()) + " " + v.source().name() + " in namespace " + namespace);
            }
        }
        if (!problems.isEmpty()) return t;
        return t.withVersions(ref -> {
            int keep = ref.rolloutOnChange() ? 0 : held.applyAsInt(ref);
            return keep != 0 ? keep : version(client, namespace, ref).orElse(0);
        });
    }

    /** The copy's name: the source's and its version, as a ReplicaSet's is the Deployment's and its template hash. */
    static String copyName(ValueRef ref) {
        return ref.name() + "-" + String.format("%08x", ref.version());
    }

    /**
     * Makes the copy of each source {@code rs}'s template reads, owned by {@code rs}, when the source still has the pinned version
     * (else the next pass pins the newer one and makes a new ReplicaSet).
     */
    static void ensure(KubernetesClient client, String namespace, Template t, ReplicaSet rs) {
        for (ValueRef ref : t.sources()) {
            String copy = copyName(ref);
            if (get(client, namespace, ref.kind(), copy) != null) continue;
            HasMetadata source = get(client, namespace, ref.kind(), ref.name());
            if (source == null || version(client, namespace, ref).orElse(0) != ref.version()) continue;
            var owner = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName(rs.getMetadata().getName())
                    .withUid(rs.getMetadata().getUid()).withController(false).build();
            try {
                if (source instanceof Secret s) {
                    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(copy).withNamespace(namespace)
                            .addToLabels(Labels.COPY_OF, ref.name()).addToLabels(Labels.MANAGED_BY, "rollgate").withOwnerReferences(owner)
                            .endMetadata().withType(s.getType()).withData(s.getData()).withImmutable(true).build()).create();
                } else if (source instanceof ConfigMap c) {
                    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(copy)
                            .withNamespace(namespace).addToLabels(Labels.COPY_OF, ref.name()).addToLabels(Labels.MANAGED_BY, "rollgate")
                            .withOwnerReferences(owner).endMetadata().withData(c.getData()).withBinaryData(c.getBinaryData())
                            .withImmutable(true).build()).create();
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) throw e;   // made by another pass meanwhile
            }
        }
    }

    private static HasMetadata get(KubernetesClient client, String namespace, ValueRef.Kind kind, String name) {
        return kind == ValueRef.Kind.SECRET ? client.secrets().inNamespace(namespace).withName(name).get()
                : client.configMaps().inNamespace(namespace).withName(name).get();
    }

    private static List<String> keys(HasMetadata o) {
        List<String> out = new ArrayList<>();
        if (o instanceof Secret s) {
            if (s.getData() != null) out.addAll(s.getData().keySet());
            if (s.getStringData() != null) out.addAll(s.getStringData().keySet());
        } else if (o instanceof ConfigMap c) {
            if (c.getData() != null) out.addAll(c.getData().keySet());
            if (c.getBinaryData() != null) out.addAll(c.getBinaryData().keySet());
        }
        return out;
    }

    private static String kind(ValueRef ref) {
        return ref.kind() == ValueRef.Kind.SECRET ? "Secret" : "ConfigMap";
    }

    private static int positive(String identity) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            int v = ((d[0] & 0x7f) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
            return v == 0 ? 1 : v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
