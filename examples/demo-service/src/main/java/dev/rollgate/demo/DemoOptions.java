package dev.rollgate.demo;

import java.time.Duration;
import java.util.List;

/** The demo service's command-line options: each one a behaviour that a test or the demo can ask for. */
record DemoOptions(
        int port,
        String version,
        String replica,
        Duration startupDelay,
        Duration warmup,
        boolean neverReady,
        Duration crashAfter,
        Duration failLivenessAfter,
        boolean ignoreSigterm,
        boolean spawnChild,
        double errorRate,
        Duration latency,
        Duration shutdownDelay,
        Duration drainTimeout,
        String dbUrl,
        String dbRead,
        List<String> dbWrite,
        java.nio.file.Path errorsWhen) {

    static final String USAGE = """
            usage: demo-service [options]
              --port N                 listen port (default: $PORT, else 8080)
              --version V              version reported by GET / (default v1)
              --startup-delay D        /health/started answers 503 for D (e.g. 3s, 500ms)
              --warmup D               readiness waits until a simulated cache's hit rate, rising over D, reaches 0.6
              --never-ready            /health/ready always answers 503
              --crash-after D          exit with code 3 after D
              --fail-liveness-after D  /health/live answers 500 after D
              --ignore-sigterm         hang on SIGTERM (only SIGKILL stops it)
              --spawn-child            start a child process (sleep) that lives as long as the service
              --error-rate R           answer GET / with 500 for a fraction R of requests (0..1)
              --errors-when FILE       the error rate applies only while FILE exists (a release that goes bad later)
              --latency D              delay every GET / by D
              --shutdown-delay D       keep serving for D after SIGTERM, not ready, before closing
              --drain-timeout D        wait up to D for in-flight requests when closing (default 10s)
              --db-url URL             PostgreSQL (JDBC URL): GET / inserts a user and reads it back (application_name: $PGAPPNAME)
              --db-read COLUMN         the column of users that GET / reads back (default name)
              --db-write C1[,C2]       the columns of users that GET / writes (default: the read column); two = a dual write
            """;

    static DemoOptions parse(List<String> args) {
        String portEnv = System.getenv("PORT");
        int port = portEnv == null ? 8080 : Integer.parseInt(portEnv);
        String version = "v1";
        String replica = System.getenv().getOrDefault("ROLLGATE_REPLICA", "replica-" + ProcessHandle.current().pid());
        Duration startupDelay = Duration.ZERO, warmup = Duration.ZERO, crashAfter = null, failLivenessAfter = null, latency = Duration.ZERO;
        Duration shutdownDelay = Duration.ZERO, drainTimeout = Duration.ofSeconds(10);
        boolean neverReady = false, ignoreSigterm = false, spawnChild = false;
        double errorRate = 0;
        String dbUrl = null, dbRead = "name";
        List<String> dbWrite = null;
        java.nio.file.Path errorsWhen = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--never-ready" -> neverReady = true;
                case "--ignore-sigterm" -> ignoreSigterm = true;
                case "--spawn-child" -> spawnChild = true;
                case "-h", "--help" -> throw new IllegalArgumentException("");
                default -> {
                    if (i + 1 >= args.size()) throw new IllegalArgumentException("unknown option or missing value: " + a);
                    String v = args.get(++i);
                    switch (a) {
                        case "--port" -> port = integer(a, v, 1, 65535);
                        case "--version" -> version = v;
                        case "--replica" -> replica = v;
                        case "--startup-delay" -> startupDelay = duration(a, v);
                        case "--warmup" -> warmup = duration(a, v);
                        case "--crash-after" -> crashAfter = duration(a, v);
                        case "--fail-liveness-after" -> failLivenessAfter = duration(a, v);
                        case "--error-rate" -> errorRate = rate(a, v);
                        case "--latency" -> latency = duration(a, v);
                        case "--shutdown-delay" -> shutdownDelay = duration(a, v);
                        case "--drain-timeout" -> drainTimeout = duration(a, v);
                        case "--db-url" -> dbUrl = v;
                        case "--errors-when" -> errorsWhen = java.nio.file.Path.of(v);
                        case "--db-read" -> dbRead = column(a, v);
                        case "--db-write" -> dbWrite = java.util.Arrays.stream(v.split(",")).map(c -> column(a, c)).toList();
                        default -> throw new IllegalArgumentException("unknown option: " + a);
                    }
                }
            }
        }
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("--db-url: expected jdbc:postgresql://..., got " + dbUrl);
        return new DemoOptions(port, version, replica, startupDelay, warmup, neverReady, crashAfter, failLivenessAfter,
                ignoreSigterm, spawnChild, errorRate, latency, shutdownDelay, drainTimeout, dbUrl, dbRead,
                dbWrite == null ? List.of(dbRead) : dbWrite, errorsWhen);
    }

    /** A column name, spliced into SQL: letters, digits and underscores only. */
    private static String column(String option, String v) {
        if (!v.matches("[a-z_][a-z0-9_]{0,62}")) throw new IllegalArgumentException(option + ": expected a column name (a-z, 0-9, _), got " + v);
        return v;
    }

    private static int integer(String option, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": expected a whole number from " + min + " to " + max + ", got " + v);
    }

    private static double rate(String option, String v) {
        try {
            double r = Double.parseDouble(v);
            if (r >= 0 && r <= 1) return r;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": expected a fraction from 0 to 1, got " + v);
    }

    /** {@code 500ms}, {@code 3s}, {@code 2m}, or bare seconds. */
    private static Duration duration(String option, String v) {
        var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)?").matcher(v);
        if (!m.matches()) throw new IllegalArgumentException(option + ": expected a duration like 500ms, 3s or 2m, got " + v);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
