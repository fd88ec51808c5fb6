package dev.rollgate.kubernetes;

import dev.rollgate.spec.Handler;
import dev.rollgate.spec.Probe;
import dev.rollgate.spec.Template;
import dev.rollgate.spec.ValueRef;
import dev.rollgate.spec.Volume;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Rollgate template as the pod template of a ReplicaSet: one container from {@code image},
 * {@code ports}, {@code env}, {@code resources}, the three probes and the preStop hook (the
 * kubelet runs them), or the template's own {@code podTemplate} as written. Either way the pods
 * carry the Rollout's name and the template hash.
 */
final class PodTemplates {

    static final String CONTAINER = "app";

    private PodTemplates() {}

    static PodTemplateSpec of(String rollout, Template t, String hash) {
        PodTemplateSpec pod;
        if (!t.podTemplate().isEmpty()) {
            pod = Serialization.unmarshal(Serialization.asJson(t.podTemplate()), PodTemplateSpec.class);
        } else {
            pod = new PodTemplateSpecBuilder().withNewSpec().withContainers(container(t)).withVolumes(volumes(t))
                    .withTerminationGracePeriodSeconds((long) t.terminationGracePeriodSeconds()).endSpec().build();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (pod.getMetadata() != null && pod.getMetadata().getLabels() != null) labels.putAll(pod.getMetadata().getLabels());
        labels.put(Labels.ROLLOUT, rollout);
        labels.put(Labels.POD_TEMPLATE_HASH, Labels.hash(hash));
        return new PodTemplateSpecBuilder(pod).editOrNewMetadata().withLabels(labels).endMetadata().build();
    }

    private static Container container(Template t) {
        Integer port = t.ports().isEmpty() ? null : t.ports().getFirst().containerPort();
        ContainerBuilder c = new ContainerBuilder().withName(CONTAINER).withImage(t.image());
        for (Template.ContainerPort p : t.ports()) c.addToPorts(new ContainerPortBuilder().withName(p.name()).withContainerPort(p.containerPort()).build());
        t.env().forEach((k, v) -> c.addToEnv(new EnvVarBuilder().withName(k).withValue(v).build()));
        // Secrets and ConfigMaps through the revision's immutable copies (SourceCopies), so a rollback reads the old values.
        t.valueFrom().forEach((k, ref) -> {
            String copy = SourceCopies.copyName(ref.source());
            EnvVarBuilder e = new EnvVarBuilder().withName(k);
            if (ref.source().kind() == ValueRef.Kind.SECRET) e.withNewValueFrom().withNewSecretKeyRef().withKey(ref.key()).withName(copy).endSecretKeyRef().endValueFrom();
            else e.withNewValueFrom().withNewConfigMapKeyRef().withKey(ref.key()).withName(copy).endConfigMapKeyRef().endValueFrom();
            c.addToEnv(e.build());
        });
        for (Volume v : t.volumes()) c.addToVolumeMounts(new VolumeMountBuilder().withName(v.name()).withMountPath(v.mountPath()).withReadOnly(true).build());
        if (port != null && !t.env().containsKey("PORT")) c.addToEnv(new EnvVarBuilder().withName("PORT").withValue(port.toString()).build());
        if (!t.resources().isEmpty()) c.withResources(Serialization.unmarshal(Serialization.asJson(t.resources()), ResourceRequirements.class));
        if (t.startupProbe() != null) c.withStartupProbe(probe(t.startupProbe(), port));
        if (t.readinessProbe() != null) c.withReadinessProbe(probe(t.readinessProbe(), port));
        if (t.livenessProbe() != null) c.withLivenessProbe(probe(t.livenessProbe(), port));
        if (t.preStop() != null) c.withNewLifecycle().withPreStop(hook(t.preStop(), port)).endLifecycle();
        return c.build();
    }

    private static List<io.fabric8.kubernetes.api.model.Volume> volumes(Template t) {
        return t.volumes().stream().map(v -> {
            VolumeBuilder b = new VolumeBuilder().withName(v.name());
            String copy = SourceCopies.copyName(v.source());
            if (v.source().kind() == ValueRef.Kind.SECRET) b.withNewSecret().withSecretName(copy).endSecret();
            else b.withNewConfigMap().withName(copy).endConfigMap();
            return b.build();
        }).toList();
    }

    private static io.fabric8.kubernetes.api.model.Probe probe(Probe p, Integer port) {
        ProbeBuilder b = new ProbeBuilder().withInitialDelaySeconds(p.initialDelaySeconds()).withPeriodSeconds(p.periodSeconds())
                .withTimeoutSeconds(p.timeoutSeconds()).withSuccessThreshold(p.successThreshold()).withFailureThreshold(p.failureThreshold());
        switch (p.handler()) {
            case Handler.HttpGet h -> b.withNewHttpGet().withPath(h.path()).withPort(port(h.port(), port)).withScheme(h.scheme())
                    .withHttpHeaders(h.httpHeaders().stream().map(x -> new HTTPHeader(x.name(), x.value())).toList())
                    .endHttpGet();
            case Handler.TcpSocket s -> b.withNewTcpSocket().withPort(port(s.port(), port)).endTcpSocket();
            case Handler.Grpc g -> b.withNewGrpc().withPort(port(g.port(), port).getIntVal()).withService(g.service()).endGrpc();
            case Handler.Exec e -> b.withNewExec().withCommand(e.command()).endExec();
            case Handler.Sleep s -> throw new IllegalArgumentException("a probe cannot sleep");
        }
        return b.build();
    }

    private static LifecycleHandler hook(Handler h, Integer port) {
        return switch (h) {
            case Handler.HttpGet g -> new LifecycleHandlerBuilder().withNewHttpGet().withPath(g.path()).withPort(port(g.port(), port))
                    .withScheme(g.scheme()).endHttpGet().build();
            case Handler.TcpSocket s -> new LifecycleHandlerBuilder().withNewTcpSocket().withPort(port(s.port(), port)).endTcpSocket().build();
            case Handler.Grpc g -> throw new IllegalArgumentException("a lifecycle hook cannot be a gRPC health check");
            case Handler.Exec e -> new LifecycleHandlerBuilder().withNewExec().withCommand(List.copyOf(e.command())).endExec().build();
            case Handler.Sleep s -> new LifecycleHandlerBuilder().withNewSleep().withSeconds((long) s.seconds()).endSleep().build();
        };
    }

    /** A probe's own port, else the container's first port (the embedded platform's PORT). */
    private static IntOrString port(Integer own, Integer first) {
        Integer p = own != null ? own : first;
        return p == null ? new IntOrString(8080) : new IntOrString(p);
    }
}
