package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.demo.DemoService;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollgate secret}, {@code config} and {@code export} against a background daemon: the loop files in git → diff in CI → apply. */
class SecretCommandsTest {

    private static final String VALUE = "cli-Secret-Value-77aa";

    @TempDir
    Path dir;

    private Cli.Result rg(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state-dir");
        all.add(dir.resolve("state").toString());
        return Cli.rollgate(all.toArray(String[]::new));
    }

    @AfterEach
    void down() {
        if (DaemonFiles.readAddress(dir.resolve("state")).isPresent()) rg("down");
    }

    private Path spec(String level) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path file = dir.resolve("web.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app}
                data: {level: %s}
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 1
                  template:
                    version: v1
                    command: ['%s', -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, -Xmx64m, -cp, '%s', %s, --version, v1]
                    env:
                    - name: DB_PASSWORD
                      valueFrom: {secretKeyRef: {name: db, key: password}}
                    - name: LOG_LEVEL
                      valueFrom: {configMapKeyRef: {name: app, key: level}}
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1}
                """.formatted(level, java, System.getProperty("java.class.path"), DemoService.class.getName()));
        return file;
    }

    private String passwordSeenByTheReplica() {
        Cli.Result get = rg("get", "web", "-o", "json");
        var pid = java.util.regex.Pattern.compile("\"pid\" : ([0-9]+)").matcher(get.out());
        return pid.find() && !pid.group(1).equals("0") ? ProcessGroup.environment(Long.parseLong(pid.group(1))).get("DB_PASSWORD") : null;
    }

    @Test
    void secretsAndConfigFromTheCommandLineAndTheDiffInCiLoop() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Cli.Result up = rg("up", "--secret-key-file", key.toString());
        assertThat(up.exit()).as(up.err()).isZero();

        // Bad input: words that name the value, nothing written.
        assertThat(rg("secret", "create", "db").err()).contains("give the values: --from-literal KEY=VALUE");
        assertThat(rg("secret", "create", "db", "--from-literal", "novalue").err()).contains("--from-literal: \"novalue\" is not KEY=VALUE");
        assertThat(rg("secret", "create", "db", "--from-file", dir.resolve("nope").toString()).err()).contains("no such file");
        assertThat(rg("secret", "create", "db", "--from-literal", "a b=1").err()).contains("\"a b\" is not a valid key");
        assertThat(rg("secret", "create", "db", "--from-literal", "k=1", "--from-literal", "k=2").err()).contains("key k is given twice");
        assertThat(rg("secret", "create", "DB", "--from-literal", "k=1").err()).contains("\"DB\" is not a valid name");
        assertThat(rg("secret", "set", "db", "--from-literal", "k=1").err()).contains("no secret named db; use 'rollgate secret create db'");
        assertThat(rg("secret", "list", "-n", "prod").err()).contains("-n/--namespace prod");
        assertThat(rg("secret", "list").out()).contains("No secrets.");

        Path file = Files.writeString(dir.resolve("user"), "app");
        Path env = Files.writeString(dir.resolve("db.env"), "# the database\nhost=127.0.0.1\n");
        Cli.Result created = rg("secret", "create", "db", "--from-literal", "password=" + VALUE, "--from-file", file.toString(),
                "--from-env-file", env.toString());
        assertThat(created.out()).as(created.err()).isEqualTo("secret/db created (version 1)\n");
        assertThat(Files.exists(dir.resolve("state").resolve("secret.key"))).as("the key given is used, none is made").isFalse();
        assertThat(rg("secret", "create", "db", "--from-literal", "k=1").err()).contains("secret db exists (version 1)");
        Cli.Result list = rg("secret", "list");
        assertThat(list.out()).contains("db", "password(21B),user(3B),host(9B)").doesNotContain(VALUE);

        // The file in git: applied, exported, and the export is what runs.
        Path web = spec("info");
        Cli.Result applied = rg("apply", "-f", web.toString());
        assertThat(applied.out()).as(applied.err()).isEqualTo("configmap/app created\nservice/web created\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> VALUE.equals(passwordSeenByTheReplica()));
        Cli.Result exported = rg("export", "web");
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("reads secret db (version 1, keys password, user, host): exported by reference", "kind: ConfigMap",
                "level: info", "secretKeyRef:").doesNotContain(VALUE);
        Path shipped = Files.writeString(dir.resolve("exported.yaml"), exported.out());
        Cli.Result same = rg("diff", "--exit-code", "-f", shipped.toString());
        assertThat(same.exit()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("configmap/app unchanged", "service/web unchanged");

        // A change in git is seen by diff in CI (exit 1), then applied; a secret set rolls out on its own.
        Cli.Result changed = rg("diff", "--exit-code", "-f", spec("debug").toString());
        assertThat(changed.exit()).isEqualTo(1);
        assertThat(changed.out()).contains("configmap/app configured: version 2", "~ data.level: info -> debug", "service/web configured");
        assertThat(rg("apply", "-f", web.toString()).out()).contains("configmap/app configured");
        assertThat(rg("config", "history", "app").out()).contains("VERSION", "level(5B)");
        assertThat(rg("secret", "set", "db", "--from-literal", "password=second").out()).isEqualTo("secret/db configured (version 2)\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> "second".equals(passwordSeenByTheReplica()));
        Cli.Result history = rg("rollout", "history", "web");
        assertThat(history.out()).contains("SECRETS/CONFIG", "secret db v1, configMap app v1", "secret db v1, configMap app v2",
                "secret db v2, configMap app v2");
        assertThat(rg("describe", "web").out()).contains("secret db v2, configMap app v2").doesNotContain("second");

        assertThat(rg("secret", "delete", "db").err()).contains("secret db is read by service web");
        assertThat(rg("delete", "web").exit()).isZero();
        assertThat(rg("secret", "delete", "db").out()).isEqualTo("secret/db deleted\n");
        assertThat(rg("secret", "history", "db").err()).contains("no secret named db");
    }
}
