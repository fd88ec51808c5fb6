package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.rollout.TemplateHash;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** env[].valueFrom, volumes with volumeMounts, and ConfigMap documents, as Kubernetes writes them. */
class SecretAndConfigSpecTest {

    private static final String TEMPLATE = SpecParserTest.HEAD + """
              template:
                command: [app]
            """;

    private static Template template(String extra) throws InvalidSpecException {
        return SpecParser.parse(TEMPLATE + extra).getFirst().spec().template();
    }

    @Test
    void readsKubernetesEnvListWithValuesAndReferences() throws InvalidSpecException {
        Template t = template("""
                    env:
                    - {name: LOG_LEVEL, value: debug}
                    - name: DB_PASSWORD
                      valueFrom: {secretKeyRef: {name: db, key: password}}
                    - name: FEATURE
                      valueFrom: {configMapKeyRef: {name: app.flags, key: feature, rolloutOnChange: false}}
                    - {name: EMPTY}
                """);
        assertThat(t.env()).containsExactly(Map.entry("LOG_LEVEL", "debug"), Map.entry("EMPTY", ""));
        assertThat(t.valueFrom()).containsOnlyKeys("DB_PASSWORD", "FEATURE");
        assertThat(t.valueFrom().get("DB_PASSWORD")).isEqualTo(new KeyRef(new ValueRef(ValueRef.Kind.SECRET, "db", 0, true), "password"));
        assertThat(t.valueFrom().get("FEATURE").source().rolloutOnChange()).isFalse();
        assertThat(t.sources()).extracting(ValueRef::name).containsExactly("db", "app.flags");
    }

    @Test
    void theMapFormStillReadsAsBefore() throws InvalidSpecException {
        assertThat(template("    env: {A: '1', B: two}\n").env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "two"));
    }

    @Test
    void joinsVolumesWithTheirMounts() throws InvalidSpecException {
        Template t = template("""
                    volumes:
                    - {name: tls, secret: {secretName: web-tls}}
                    - {name: settings, configMap: {name: app, rolloutOnChange: false}}
                    volumeMounts:
                    - {name: tls, mountPath: /etc/tls, readOnly: true}
                    - {name: settings, mountPath: /etc/app}
                """);
        assertThat(t.volumes()).containsExactly(
                new Volume("tls", new ValueRef(ValueRef.Kind.SECRET, "web-tls", 0, true), "/etc/tls"),
                new Volume("settings", new ValueRef(ValueRef.Kind.CONFIG_MAP, "app", 0, false), "/etc/app"));
        assertThat(t.volumes().getFirst().directoryVariable()).isEqualTo("ROLLGATE_MOUNT_TLS");
    }

    @Test
    void refusesWhatKubernetesWouldAndWhatCouldNotWork() {
        assertThat(SpecParserTest.errors(TEMPLATE + """
                    env:
                    - {name: B, valueFrom: {}}
                    - {name: C, value: x, valueFrom: {secretKeyRef: {name: db, key: k}}}
                    - {name: D, valueFrom: {secretKeyRef: {name: DB, key: 'a b'}}}
                """)).extracting(SpecError::toString)
                .anySatisfy(e -> assertThat(e).contains("env[0].valueFrom: set one of secretKeyRef, configMapKeyRef"))
                .anySatisfy(e -> assertThat(e).contains("env[1]: set only one of value, valueFrom"))
                .anySatisfy(e -> assertThat(e).contains("env[2].valueFrom.secretKeyRef.name"))
                .anySatisfy(e -> assertThat(e).contains("env[2].valueFrom.secretKeyRef.key"));
        assertThat(SpecParserTest.errors(TEMPLATE + """
                    env:
                    - {name: A, value: x}
                    - {name: A, value: y}
                    - {name: PORT, value: '1'}
                """)).extracting(SpecError::toString).anySatisfy(e -> assertThat(e).contains("duplicate variable \"A\""))
                .anySatisfy(e -> assertThat(e).contains("PORT is set by Rollgate"));
        assertThat(SpecParserTest.errors(TEMPLATE + """
                    volumes:
                    - {name: d, secret: {secretName: s}, configMap: {name: c}}
                    volumeMounts:
                    - {name: d, mountPath: relative}
                """)).extracting(SpecError::toString)
                .anySatisfy(e -> assertThat(e).contains("volumes[0]: set only one of secret, configMap"))
                .anySatisfy(e -> assertThat(e).contains("volumeMounts[0].mountPath").contains("an absolute path"));
        assertThat(SpecParserTest.errors(TEMPLATE + """
                    volumes:
                    - {name: a, secret: {secretName: s}}
                    - {name: b, configMap: {name: c}}
                    volumeMounts:
                    - {name: b, mountPath: /x, readOnly: false}
                    - {name: z, mountPath: /y}
                """)).extracting(SpecError::toString)
                .anySatisfy(e -> assertThat(e).contains("volume \"a\" is not mounted"))
                .anySatisfy(e -> assertThat(e).contains("readOnly").contains("must be true"))
                .anySatisfy(e -> assertThat(e).contains("no volume named \"z\""));
        assertThat(SpecParserTest.errors(TEMPLATE + "    env: [1, 2]\n")).hasSize(2);
        assertThat(SpecParserTest.errors(TEMPLATE + "    env: plain\n")).extracting(SpecError::message)
                .containsExactly("expected a mapping of names to values or a list, got text \"plain\"");
    }

    @Test
    void readsConfigMapDocumentsBesideRolloutsOrAlone() throws InvalidSpecException {
        String configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app}
                data: {greeting: hello, level: info}
                """;
        SpecParser.Documents both = SpecParser.read(configMap + "---\n" + TEMPLATE);
        assertThat(both.configMaps()).containsExactly(new ConfigMap("app", Map.of("greeting", "hello", "level", "info")));
        assertThat(both.rollouts()).hasSize(1);
        assertThat(SpecParser.read(configMap).rollouts()).isEmpty();
        assertThat(SpecParserTest.errors(configMap)).extracting(SpecError::message).singleElement().asString().startsWith("no Rollout found");
        List<SpecError> errors = SpecParserTest.errors(configMap + "---\n" + configMap + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad}\n"
                + "data: {k: [1]}\n---\n" + TEMPLATE);
        assertThat(errors).extracting(SpecError::toString)
                .anySatisfy(e -> assertThat(e).contains("duplicate ConfigMap name \"app\""))
                .anySatisfy(e -> assertThat(e).startsWith("ConfigMap Bad: metadata.name"))
                .anySatisfy(e -> assertThat(e).startsWith("ConfigMap Bad: data.k"));
    }

    @Test
    void aPinnedVersionIsPartOfTheRevisionAndSurvivesTheStore() throws InvalidSpecException {
        Template t = template("""
                    env:
                    - name: DB_PASSWORD
                      valueFrom: {secretKeyRef: {name: db, key: password}}
                """);
        Template v1 = t.withVersions(ref -> 1);
        Template v2 = t.withVersions(ref -> 2);
        assertThat(TemplateHash.of(v1)).isNotEqualTo(TemplateHash.of(v2)).isEqualTo(TemplateHash.of(t.withVersions(ref -> 1)));
        assertThat(SpecJson.template(SpecJson.write(v2))).isEqualTo(v2);
        assertThat(v2.valueFrom().get("DB_PASSWORD").toString()).isEqualTo("secret db/password (version 2)");
        assertThat(ValueRef.summary(v2.sources())).isEqualTo("secret db v2");
        assertThat(ValueRef.summary(List.of())).isNull();
    }
}
