package dev.rollgate.cli;

import static dev.rollgate.cli.Cli.rollgate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintAndGenerateCommandTest {

    @Test
    void theOperatorsOwnManifestsAreCleanOfErrorsAndWarnings() {
        Cli.Result r = rollgate("lint", "../deploy");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("0 error(s), 0 warning(s)");
    }

    @Test
    void aCleanSetPassesAndAnErrorFailsWithExit1(@TempDir Path dir) throws Exception {
        Cli.Result good = rollgate("lint", "../examples/manifests/good.yaml");
        assertThat(good.exit()).isZero();
        assertThat(good.out()).isEqualTo("no findings\n");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of("../examples/manifests/good.yaml")).replace("maxUnavailable: 0", "maxUnavailable: 100%"));
        Cli.Result r = rollgate("lint", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("error max-unavailable-all  spec.strategy (line 11)").contains("1 error(s), 0 warning(s), 0 info");

        var json = new ObjectMapper().readTree(rollgate("lint", "-o", "json", bad.toString()).out());
        assertThat(json.get(0).get("check").asText()).isEqualTo("max-unavailable-all");
        assertThat(json.get(0).get("severity").asText()).isEqualTo("error");
        var sarif = new ObjectMapper().readTree(rollgate("lint", "-o", "sarif", bad.toString()).out());
        assertThat(sarif.at("/runs/0/results/0/level").asText()).isEqualTo("error");
    }

    @Test
    void sqlMigrationsAreLintedByPhaseWithTheirLinesAlsoWhenASpecNamesTheirFolder(@TempDir Path dir) throws Exception {
        Cli.Result r = rollgate("lint", "-o", "json", "../rollgate-migrate/src/test/resources/unsafe/V2__expand_everything_wrong.sql");
        assertThat(r.exit()).isEqualTo(1);
        var json = new ObjectMapper().readTree(r.out());
        assertThat(json).hasSize(10);
        assertThat(json.get(0).get("check").asText()).isEqualTo("drop-column");
        assertThat(json.get(0).get("line").asInt()).isEqualTo(4);
        assertThat(json.get(0).get("kind").asText()).isEqualTo("Migration");

        Path migrations = Files.createDirectories(dir.resolve("db"));
        Files.writeString(migrations.resolve("V1__expand_users.sql"), "CREATE TABLE users (id int, name text);\n");
        Files.writeString(migrations.resolve("V2__expand_rename.sql"), "SET lock_timeout = '1s';\nALTER TABLE users RENAME COLUMN name TO full_name;\n");
        Files.writeString(dir.resolve("svc.yaml"), """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: svc}
                spec:
                  database: {url: 'jdbc:postgresql://127.0.0.1:5432/app', migrations: db}
                  template: {command: [sleep, '60']}
                """);
        Cli.Result spec = rollgate("lint", dir.resolve("svc.yaml").toString());
        assertThat(spec.exit()).isEqualTo(1);
        assertThat(spec.out()).contains("Migration expand/V2__expand_rename.sql").contains("error rename-column   (line 2)");
    }

    @Test
    void unreadableInputIsNamed() {
        Cli.Result r = rollgate("lint", "no/such/dir");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("rollgate lint: no/such/dir: no such file or directory\n");
    }

    @Test
    void generatedManifestsPassLintWithoutAWarning(@TempDir Path dir) throws Exception {
        Cli.Result gen = rollgate("generate", "--name", "shop", "--image", "ghcr.io/acme/shop:2.0.1@sha256:" + "ab".repeat(32),
                "--port", "9000", "--replicas", "4", "--health-path", "/q/health", "--grace", "45");
        assertThat(gen.exit()).isZero();
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, gen.out());
        Cli.Result lint = rollgate("lint", file.toString());
        assertThat(lint.out()).isEqualTo("no findings\n");
        assertThat(gen.out()).contains("path: /q/health/ready", "replicas: 4", "terminationGracePeriodSeconds: 45", "containerPort: 9000");

        Cli.Result tagOnly = rollgate("generate", "--name", "shop", "--image", "ghcr.io/acme/shop:2.0.1");
        Files.writeString(file, tagOnly.out());
        assertThat(rollgate("lint", "-o", "json", file.toString()).out()).doesNotContain("\"warning\"").doesNotContain("\"error\"");
    }

    @Test
    void generateRefusesWhatLintWouldFlag() {
        Cli.Result latest = rollgate("generate", "--name", "web", "--image", "web:latest");
        assertThat(latest.exit()).isEqualTo(2);
        assertThat(latest.err()).contains("--image needs a version tag (not :latest) or a digest, got 'web:latest'");
        Cli.Result one = rollgate("generate", "--name", "web", "--image", "web:1", "--replicas", "1");
        assertThat(one.err()).contains("--replicas must be at least 2");
        Cli.Result name = rollgate("generate", "--name", "Web_App", "--image", "web:1");
        assertThat(name.err()).contains("--name must be lower-case letters, digits and '-', got 'Web_App'");
    }
}
