package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

class TemplateDocumentTest {

    @Test
    void aTemplateWrittenBackReadsToTheSameTemplate() throws InvalidSpecException {
        String spec = SpecParserTest.HEAD + """
                  template:
                    version: v2
                    command: [app, --port, $(PORT)]
                    image: registry.example/app@sha256:%s
                    args: [serve]
                    ports: [{name: http, containerPort: 8080}]
                    resources: {limits: {memory: 64Mi}}
                    workingDir: sub
                    env:
                    - {name: PLAIN, value: "1"}
                    - name: DB_PASSWORD
                      valueFrom: {secretKeyRef: {name: db, key: password}}
                    - name: LEVEL
                      valueFrom: {configMapKeyRef: {name: app, key: level, rolloutOnChange: false}}
                    volumes:
                    - {name: tls, secret: {secretName: tls}}
                    volumeMounts:
                    - {name: tls, mountPath: /etc/tls}
                    startupProbe: {exec: {command: [true]}, failureThreshold: 30, terminationGracePeriodSeconds: 5}
                    readinessProbe: {httpGet: {path: /ready, httpHeaders: [{name: X-Probe, value: "1"}]}, periodSeconds: 2, successThreshold: 2}
                    livenessProbe: {tcpSocket: {port: 9000}}
                    lifecycle: {preStop: {sleep: {seconds: 3}}}
                    terminationGracePeriodSeconds: 12
                """.formatted("ab".repeat(32));
        Template read = SpecParser.parse(spec).getFirst().spec().template();
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String written = new Yaml(o).dump(Map.of("apiVersion", Rollout.API_VERSION, "kind", Rollout.KIND, "metadata", Map.of("name", "web"),
                "spec", Map.of("template", TemplateDocument.of(read.withVersions(ref -> 7)))));
        assertThat(SpecParser.parse(written).getFirst().spec().template()).isEqualTo(read);
        assertThat(written).doesNotContain("version: 7").contains("rolloutOnChange: false");
    }

    @Test
    void anEnvironmentWithoutReferencesStaysAMap() throws InvalidSpecException {
        Template t = SpecParser.parse(SpecParserTest.HEAD + "  template: {command: [app], env: {A: x}}\n").getFirst().spec().template();
        assertThat(TemplateDocument.of(t).get("env")).isEqualTo(Map.of("A", "x"));
    }
}
