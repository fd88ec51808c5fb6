package dev.rollgate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.spec.SpecParser;
import org.junit.jupiter.api.Test;

/** A template's probes as the kubelet gets them: the gRPC health check becomes the pod's grpc probe. */
class PodTemplatesTest {

    @Test
    void aGrpcProbeIsTheKubeletsGrpcProbeOnTheContainersPort() throws Exception {
        var rollout = SpecParser.parse("""
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: echo}
                spec:
                  template:
                    image: registry.example/echo:1
                    ports: [{containerPort: 50051}]
                    readinessProbe: {grpc: {service: rollgate.test.Echo}, periodSeconds: 2}
                    livenessProbe: {grpc: {port: 9000}}
                """).getFirst();
        var pod = PodTemplates.of("echo", rollout.spec().template(), "abc");
        var c = pod.getSpec().getContainers().getFirst();
        assertThat(c.getReadinessProbe().getGrpc().getPort()).isEqualTo(50051);
        assertThat(c.getReadinessProbe().getGrpc().getService()).isEqualTo("rollgate.test.Echo");
        assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(2);
        assertThat(c.getLivenessProbe().getGrpc().getPort()).isEqualTo(9000);
        assertThat(c.getLivenessProbe().getGrpc().getService()).isEmpty();
    }
}
