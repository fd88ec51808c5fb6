package dev.rollgate.kubernetes;

import dev.rollgate.spec.SpecJson;
import dev.rollgate.spec.Template;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a ReplicaSet the operator owns differs from what it made: its replicas from the last scale it
 * made ({@value Labels#SCALED_TO}), its pod template from the one its Rollgate template gives. Only
 * what the operator writes is compared (containers' image, command, args and env; the pod's labels
 * and volumes), so the defaults an API server fills in are never taken for a change.
 */
final class ReplicaSetDrift {

    private ReplicaSetDrift() {}

    /** The replicas the operator set, or null when it never recorded any. */
    static Integer scaledTo(ReplicaSet rs) {
        var a = rs.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(Labels.SCALED_TO);
        return v == null ? null : Integer.valueOf(v);
    }

    /** What differs, one sentence each; empty when nothing does. */
    static List<String> of(String rollout, ReplicaSet rs) {
        List<String> out = new ArrayList<>();
        String name = rs.getMetadata().getName();
        Integer set = scaledTo(rs);
        int now = rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
        if (set != null && set != now) out.add("ReplicaSet " + name + " was scaled to " + now + " out of band; the operator set " + set);
        PodTemplateSpec want = expected(rollout, rs);
        if (want != null && !projection(want).equals(projection(rs.getSpec().getTemplate()))) {
            out.add("ReplicaSet " + name + "'s pod template was edited out of band (" + difference(want, rs.getSpec().getTemplate()) + ")");
        }
        return out;
    }

    /** The pod template the operator makes for this ReplicaSet's Rollgate template (null when it carries none). */
    static PodTemplateSpec expected(String rollout, ReplicaSet rs) {
        var a = rs.getMetadata().getAnnotations();
        String json = a == null ? null : a.get(Labels.TEMPLATE);
        if (json == null) return null;
        Template t = SpecJson.template(json);
        return PodTemplates.of(rollout, t, rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH));
    }

    private record Projection(Object labels, List<Object> containers, Object volumes) {}

    private static Projection projection(PodTemplateSpec p) {
        List<Object> containers = new ArrayList<>();
        for (Container c : p.getSpec().getContainers()) {
            containers.add(List.of(String.valueOf(c.getName()), String.valueOf(c.getImage()), Objects.requireNonNullElse(c.getCommand(), List.of()),
                    Objects.requireNonNullElse(c.getArgs(), List.of()), Objects.requireNonNullElse(c.getEnv(), List.of())));
        }
        return new Projection(p.getMetadata() == null ? null : p.getMetadata().getLabels(), containers,
                Objects.requireNonNullElse(p.getSpec().getVolumes(), List.of()));
    }

    private static String difference(PodTemplateSpec want, PodTemplateSpec have) {
        List<Container> a = want.getSpec().getContainers(), b = have.getSpec().getContainers();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!Objects.equals(a.get(i).getImage(), b.get(i).getImage())) {
                return "container " + a.get(i).getName() + " image " + a.get(i).getImage() + " -> " + b.get(i).getImage();
            }
            if (!Objects.equals(Objects.requireNonNullElse(a.get(i).getEnv(), List.of()), Objects.requireNonNullElse(b.get(i).getEnv(), List.of()))) {
                return "container " + a.get(i).getName() + " env";
            }
        }
        return a.size() != b.size() ? a.size() + " containers -> " + b.size() : "labels, command, args or volumes";
    }
}
