package dev.rollgate.cli;

import static dev.rollgate.cli.Cli.rollgate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateAndSchemaTest {

    @Test
    void aValidSpecPrintsValid() {
        Cli.Result r = rollgate("validate", "-f", "../examples/specs/web.yaml");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("valid\n");
    }

    @Test
    void anInvalidSpecPrintsEveryErrorWithFileFieldAndLineAndExits1(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("bad.yaml");
        Files.writeString(spec, """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: -1
                  template:
                    command: [java]
                    readinesProbe: {tcpSocket: {}}
                  strategy:
                    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}
                """);
        Cli.Result r = rollgate("validate", "-f", spec.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).containsExactly(
                spec + ": spec.replicas: must be from 0 to 10000, got -1 (line 5)",
                spec + ": spec.template.readinesProbe: unknown field; did you mean readinessProbe? (line 8)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aYamlAliasBombIsRefusedWithItsLine(@TempDir Path dir) throws Exception {
        StringBuilder bomb = new StringBuilder("apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: web}\nspec:\n"
                + "  template:\n    command: [./server]\n    podTemplate:\n      a0: &a0 [x, x]\n");
        for (int i = 1; i <= 24; i++) bomb.append("      a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        Path spec = Files.writeString(dir.resolve("bomb.yaml"), bomb);
        Cli.Result r = rollgate("validate", "-f", spec.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(spec + ": the aliases here expand to more than 10070 nodes; aliases may add at most 10000 nodes"
                + " to a document (line 20)\n");
    }

    @Test
    void badArgumentsGetAMessageNotAStackTrace() {
        Cli.Result missing = rollgate("validate");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--filename=FILE'").doesNotContain("Exception");
        Cli.Result noFile = rollgate("validate", "-f", "/no/such/file.yaml");
        assertThat(noFile.exit()).isEqualTo(1);
        assertThat(noFile.err()).isEqualTo("/no/such/file.yaml: cannot read /no/such/file.yaml: no such file\n");
        Cli.Result unknown = rollgate("deploy");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument at index 0: 'deploy'");
    }

    @Test
    void schemaIsJson() throws Exception {
        Cli.Result r = rollgate("schema");
        assertThat(r.exit()).isZero();
        var schema = new ObjectMapper().readTree(r.out());
        var template = schema.at("/oneOf/0/properties/spec/properties/template/properties");
        assertThat(template.has("command") && template.has("image") && template.has("podTemplate")).isTrue();
        assertThat(schema.at("/oneOf/0/properties/spec/required/0").asText()).isEqualTo("template");
    }
}
