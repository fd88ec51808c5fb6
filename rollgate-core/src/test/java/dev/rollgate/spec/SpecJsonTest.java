package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpecJsonTest {

    @Test
    void everyExampleSpecReadsBackEqual() throws Exception {
        for (String name : new String[] {"web.yaml", "demo.yaml", "demo-v2.yaml", "demo-v3-never-ready.yaml"}) {
            for (Rollout r : SpecParser.parseFile(Path.of("../examples/specs", name))) {
                Rollout back = SpecJson.rollout(SpecJson.write(r));
                assertThat(back).as(name).isEqualTo(r);
                assertThat(SpecJson.template(SpecJson.write(r.spec().template()))).isEqualTo(r.spec().template());
            }
        }
    }

    @Test
    void everyHandlerKindAndStrategyReadsBack() throws Exception {
        String yaml = """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: all}
                spec:
                  maxConcurrentStarts: 2
                  startJitterSeconds: 1
                  strategy: {recreate: {}}
                  template:
                    command: [sleep, "100"]
                    startupProbe: {exec: {command: ["true"]}}
                    readinessProbe: {httpGet: {path: /ready, httpHeaders: [{name: X, value: y}]}}
                    livenessProbe: {tcpSocket: {}}
                    lifecycle: {preStop: {sleep: {seconds: 3}}}
                """;
        Rollout r = SpecParser.parse(yaml).getFirst();
        assertThat(SpecJson.rollout(SpecJson.write(r))).isEqualTo(r);
        assertThat(r.spec().maxConcurrentStarts()).isEqualTo(2);
        assertThat(r.spec().strategy()).isInstanceOf(Strategy.Recreate.class);
    }
}
