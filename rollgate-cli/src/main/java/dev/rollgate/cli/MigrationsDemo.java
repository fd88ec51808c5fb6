package dev.rollgate.cli;

import dev.rollgate.demo.DemoService;
import dev.rollgate.load.Load;
import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.local.process.Ports;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.local.store.Store;
import dev.rollgate.migrate.Database;
import dev.rollgate.migrate.Migration;
import dev.rollgate.migrate.MigrationFolder;
import dev.rollgate.migrate.Migrator;
import dev.rollgate.migrate.ThrowawayPostgres;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.MigrationsView;
import dev.rollgate.view.ServiceView;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code rollgate demo migrations}: expand / contract on a real PostgreSQL. First the failure a
 * migration tool alone allows (v2's destructive migration runs, v2 goes back to v1, v1 answers
 * 500); then the same change through Rollgate (the contract held while v2 is judged, v2 aborted,
 * v1 never sees the old schema gone); then a column rename in three deploys under load, the
 * contract released only after the rollback window and the last old session, and an undo to
 * before it refused.
 */
@Command(name = "migrations", mixinStandardHelpOptions = true,
        description = {"Play expand / contract migrations on a real PostgreSQL, and say PASS or FAIL.",
                "PostgreSQL is Debian's package, started in a temporary directory. Plays a destructive migration's failure",
                "without the gate, the same change through Rollgate, and a column rename in three deploys under load; ends with PASS/FAIL."})
final class MigrationsDemo implements Callable<Integer> {

    static final int REPLICAS = 2;
    static final int CONTRACT_AFTER_SECONDS = 5;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final Set<Long> pids = ConcurrentHashMap.newKeySet();
    /** Made when the demo runs, not when picocli builds the command tree: a client sets up TLS, a tenth of a second of every command. */
    private HttpClient http;
    private PrintWriter out;
    private Path dir;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        dir = Files.createTempDirectory("rollgate-demo-migrations-");
        out.println("demo: starting PostgreSQL (Debian's package) in a temporary directory...");
        out.flush();
        ThrowawayPostgres pg = ThrowawayPostgres.start(Files.createTempDirectory(Path.of("/tmp"), "rollgate-demo-pg-"));
        Daemon daemon = null;
        List<Load.Result> loads = new ArrayList<>();
        boolean seedShown = false, contractHeld = false, contractReleased = false, undoRefused = false;
        try {
            String seed = database(pg, "seed"), shop = database(pg, "shop"), users = database(pg, "users");
            out.printf("demo: PostgreSQL at %s%n", pg.url());
            seedShown = withoutTheGate(seed);

            daemon = Daemon.open(dir.resolve("state"), 0);
            Daemon d = daemon;
            StopSignal.onTerminate(() -> d.shutdown().join());
            DaemonClient client = DaemonClient.connect(dir.resolve("state"));
            out.printf("%ndemo: daemon in %s; dashboard at http://127.0.0.1:%d/ui/ (token in %s)%n", dir.resolve("state"),
                    daemon.adminPort(), DaemonFiles.tokenFile(dir.resolve("state")));
            contractHeld = throughRollgate(client, shop, loads);
            boolean[] rename = renameInThreeDeploys(client, users, loads);
            contractReleased = rename[0];
            undoRefused = rename[1];
        } finally {
            out.println();
            out.println("-- stopping: replicas drained and stopped, the daemon, then PostgreSQL");
            out.flush();
            if (daemon != null) daemon.shutdown().get(120, TimeUnit.SECONDS);
            pg.close();
        }
        long leftovers = pids.stream().filter(pid -> !ProcessGroup.members(pid).isEmpty()).count();
        long requests = loads.stream().mapToLong(Load.Result::requests).sum();
        long non2xx = loads.stream().mapToLong(Load.Result::non2xx).sum();
        long socket = loads.stream().mapToLong(Load.Result::socketErrors).sum();
        out.printf("   %d replica process(es) seen, %d left running%n%n", pids.size(), leftovers);
        boolean pass = seedShown && contractHeld && contractReleased && undoRefused && leftovers == 0 && requests > 0 && non2xx == 0 && socket == 0;
        out.printf("demo: %s requests=%d non-2xx=%d socket-errors=%d seed-failure=%s contract=%s undo-after-contract=%s%n",
                pass ? "PASS" : "FAIL", requests, non2xx, socket, seedShown ? "shown" : "missing",
                contractHeld && contractReleased ? "held-then-released" : "wrong", undoRefused ? "refused" : "allowed");
        out.flush();
        return pass ? 0 : 1;
    }

    // ---- 1. the seed's failure, with a migration tool that knows nothing of the rollout ----------------

    private boolean withoutTheGate(String url) throws Exception {
        out.println();
        out.println("-- 1. without the gate: v2 ships 'ALTER TABLE users DROP COLUMN name' and a migration tool runs it before v2 starts;");
        out.println("      v2 is bad and goes back to v1, which still reads name");
        Path folder = dir.resolve("seed");
        write(folder, "V1__expand_create_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, name text);");
        write(folder, "V2__contract_drop_name.sql", "ALTER TABLE users DROP COLUMN name;");
        List<Migration> files = MigrationFolder.read(folder).migrations();
        Migrator flyway = new Migrator(new Database(url, null, null, Duration.ofSeconds(5)), 0, Duration.ZERO);
        flyway.migrate(List.of(), files.subList(0, 1), (m, a, b, w) -> {});
        int port = Ports.freeLoopbackPort();
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path"), DemoService.class.getName(), "--port",
                Integer.toString(port), "--version", "v1", "--db-url", url, "--db-read", "name"));
        Process v1 = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("seed-v1.log").toFile()).start();
        pids.add(v1.pid());
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            if (!await(() -> get(uri).statusCode() == 200, 30)) throw new IllegalStateException("v1 did not start: see " + dir.resolve("seed-v1.log"));
            Load load = Load.start(uri, 4, null, null);
            Thread.sleep(1000);
            flyway.migrate(files.subList(0, 1), files.subList(1, 2), (m, a, b, w) -> {});
            out.println("   the migration tool ran V2__contract_drop_name.sql; v2 fails, the deploy goes back to v1 (it never left):");
            Thread.sleep(1500);
            Load.Result r = load.stop();
            HttpResponse<String> one = get(uri);
            out.printf("   v1 answered %d of %d requests with a non-2xx; now: HTTP %d %s%n", r.non2xx(), r.requests(), one.statusCode(), one.body());
            return r.non2xx() > 0 && one.statusCode() == 500 && one.body().contains("does not exist");
        } finally {
            v1.destroy();
            v1.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---- 2. the same change through Rollgate: expand before v2, contract held, v2 aborted ------------------

    private boolean throughRollgate(DaemonClient client, String url, List<Load.Result> loads) throws Exception {
        out.println();
        out.println("-- 2. through Rollgate: the same change as expand (V2 adds full_name) + contract (V3 drops name); v2 is a canary");
        out.println("      that fails 30% of its requests; the judge aborts it; contract never runs; v1 keeps working");
        int port = Ports.freeLoopbackPort();
        Path folder = dir.resolve("shop-migrations");
        write(folder, "V1__expand_create_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, name text);");
        apply(client, "shop", port, url, "shop-migrations", "v1", false, "name", "name");
        if (!watch(client, "shop", s -> s.phase().equals("Complete"), 90)) throw new IllegalStateException("shop v1 did not become available");
        Load load = Load.start(URI.create("http://127.0.0.1:" + port + "/"), 4, null, null);
        write(folder, "V2__expand_add_full_name.sql", "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN full_name text;");
        write(folder, "V3__contract_drop_name.sql", "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN name;");
        apply(client, "shop", port, url, "shop-migrations", "v2", true, "name", "name,full_name", "--error-rate", "0.3");
        boolean aborted = watch(client, "shop", s -> s.phase().equals("Aborted"), 120);
        Thread.sleep(1000);   // v1 alone again, under load
        loads.add(load.stop());
        MigrationsView m = client.get("/v1/services/shop", ServiceView.class).migrations();
        migrateStatus("shop");
        String v3 = state(m, "V3__contract_drop_name.sql");
        String v2 = state(m, "V2__expand_add_full_name.sql");
        out.printf("   under load: %d requests, %d non-2xx, %d socket errors (the canary's errors were retried on v1: errorMasking)%n",
                loads.getLast().requests(), loads.getLast().non2xx(), loads.getLast().socketErrors());
        return aborted && v2.equals("applied") && v3.equals("held");
    }

    // ---- 3. a column rename in three deploys under load -----------------------------------------------

    private boolean[] renameInThreeDeploys(DaemonClient client, String url, List<Load.Result> loads) throws Exception {
        out.println();
        out.println("-- 3. rename users.name to full_name in three deploys, under load: expand + dual write, backfill + read the new");
        out.printf("      column, contract (drop name) held until v4 is complete, v3 is gone and its sessions too, and %ds passed%n",
                CONTRACT_AFTER_SECONDS);
        int port = Ports.freeLoopbackPort();
        Path folder = dir.resolve("users-migrations");
        write(folder, "V1__expand_create_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, name text);");
        apply(client, "users", port, url, "users-migrations", "v1", false, "name", "name");
        if (!watch(client, "users", complete("v1"), 90)) throw new IllegalStateException("users v1 did not become available");
        Load load = Load.start(URI.create("http://127.0.0.1:" + port + "/"), 4, null, null);

        out.println("   deploy 1: V2__expand_add_full_name.sql, v2 writes name and full_name, reads name");
        write(folder, "V2__expand_add_full_name.sql", "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN full_name text;");
        apply(client, "users", port, url, "users-migrations", "v2", false, "name", "name,full_name");
        boolean ok = watch(client, "users", complete("v2"), 90);

        out.println("   deploy 2: V3__expand_backfill_full_name.sql, v3 writes both, reads full_name");
        write(folder, "V3__expand_backfill_full_name.sql", "UPDATE users SET full_name = name WHERE full_name IS NULL;");
        apply(client, "users", port, url, "users-migrations", "v3", false, "full_name", "name,full_name");
        ok &= watch(client, "users", complete("v3"), 90);

        out.println("   deploy 3: V4__contract_drop_name.sql, v4 writes and reads full_name only");
        write(folder, "V4__contract_drop_name.sql", "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN name;");
        apply(client, "users", port, url, "users-migrations", "v4", false, "full_name", "full_name");
        ok &= watch(client, "users", complete("v4"), 90);
        boolean heldAtCompletion = state(client.get("/v1/services/users", ServiceView.class).migrations(), "V4__contract_drop_name.sql").equals("held");
        ok &= await(() -> state(client.get("/v1/services/users", ServiceView.class).migrations(), "V4__contract_drop_name.sql").equals("applied"), 60);
        Thread.sleep(1000);   // v4 alone on the contracted schema, under load
        loads.add(load.stop());
        migrateStatus("users");
        out.printf("   under load: %d requests, %d non-2xx, %d socket errors%n", loads.getLast().requests(), loads.getLast().non2xx(),
                loads.getLast().socketErrors());

        Instant complete = null, released = null;
        for (EventRow e : client.getList("/v1/services/users/events?limit=10000", EventRow.class)) {
            String reason = e.reason(), message = e.message();
            if (reason.equals("RolloutCompleted") && message.contains("(v4)")) complete = e.time();
            if (reason.equals("MigrationApplied") && message.startsWith("V4__contract_drop_name.sql")) released = e.time();
            if (reason.startsWith("Migration") || reason.equals("RolloutCompleted")) {
                out.printf("   %s  %-18s %s%n", DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC)
                        .format(e.time()), reason, message);
            }
        }
        boolean afterWindow = complete != null && released != null && !released.isBefore(complete.plusSeconds(CONTRACT_AFTER_SECONDS));
        out.printf("   the contract ran %.1fs after v4 completed (contractAfter %ds)%n",
                complete == null || released == null ? Double.NaN : Duration.between(complete, released).toMillis() / 1000.0, CONTRACT_AFTER_SECONDS);

        out.println("   rollout undo to v3 after the contract:");
        String refusal;
        try {
            client.post("/v1/services/users/undo", null);
            refusal = null;
        } catch (CliException e) {
            refusal = e.getMessage();
        }
        out.println("   " + (refusal == null ? "allowed (wrong)" : refusal));
        return new boolean[] {ok && heldAtCompletion && afterWindow, refusal != null && refusal.contains("V4__contract_drop_name.sql")};
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private void apply(DaemonClient client, String name, int port, String url, String folder, String version, boolean canary, String read,
                       String write, String... extra) {
        String java = ProcessHandle.current().info().command().orElse("java");
        StringBuilder args = new StringBuilder();
        for (String a : List.of("--version", version, "--db-url", url, "--db-read", read, "--db-write", write)) args.append(", '").append(a).append("'");
        for (String a : extra) args.append(", '").append(a).append("'");
        String strategy = !canary ? "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n" : """
                  strategy:
                    canary:
                      abortScaleDownDelaySeconds: 2
                      analysis: {templates: [{templateName: judge}], startingStep: 1}
                      steps: [{setWeight: 50}, {pause: {duration: 60s}}]
                """;
        String judge = !canary ? "" : """
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: judge}
                spec:
                  metrics:
                  - name: errors-vs-stable
                    interval: 1s
                    provider: {judge: {metric: errorRate}}
                """;
        String yaml = """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: %s}
                spec:
                  replicas: %d
                  minReadySeconds: 1
                  progressDeadlineSeconds: 60
                  service: {port: %d, errorMasking: true}
                  database: {url: '%s', migrations: %s, contractAfter: %ds, lockTimeout: 2s}
                %s  template:
                    version: %s
                    command: ['%s', -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, -Xmx64m, -Xss512k, -cp, '%s', %s%s]
                    startupProbe:   {httpGet: {path: /health/started}, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60}
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1, timeoutSeconds: 5}
                    lifecycle: {preStop: {sleep: {seconds: 1}}}
                    terminationGracePeriodSeconds: 10
                """.formatted(name, REPLICAS, port, url, folder, CONTRACT_AFTER_SECONDS, strategy, version, java,
                System.getProperty("java.class.path"), DemoService.class.getName(), args) + judge;
        client.post("/v1/apply", Map.of("document", yaml, "baseDir", dir.toString(), "source", name + "-" + version + ".yaml"));
    }

    private static Predicate<ServiceView> complete(String version) {
        return s -> s.phase().equals("Complete") && version.equals(s.status().version());
    }

    private boolean watch(DaemonClient client, String name, Predicate<ServiceView> done, int seconds) throws InterruptedException {
        return RolloutWatch.until(out, client, name, done, seconds, pids);
    }

    /** {@code rollgate migrate status NAME}, the command itself, against the demo's daemon. */
    private void migrateStatus(String service) {
        StringWriter text = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(text, true));
        cli.setErr(new PrintWriter(text, true));
        cli.execute("migrate", "status", service, "--state-dir", dir.resolve("state").toString());
        out.println("   $ rollgate migrate status " + service);
        text.toString().lines().forEach(l -> out.println("   " + l));
        out.flush();
    }

    private static String state(MigrationsView migrations, String file) {
        if (migrations == null) return "missing";
        return migrations.migrations().stream().filter(x -> x.file().equals(file)).map(MigrationsView.Migration::state).findFirst().orElse("missing");
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static boolean await(Check c, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            try {
                if (c.holds()) return true;
            } catch (Exception notYet) {
                // not up yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        if (http == null) http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void write(Path folder, String name, String sql) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(name), sql + "\n");
    }

    /** A database of its own on the demo's PostgreSQL, for one part of the story. */
    private static String database(ThrowawayPostgres pg, String name) throws Exception {
        try (Connection c = pg.database(Duration.ofSeconds(5)).connect()) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return pg.url().replace("/app?", "/" + name + "?");
    }
}
