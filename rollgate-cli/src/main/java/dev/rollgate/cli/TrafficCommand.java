package dev.rollgate.cli;

import dev.rollgate.spec.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate traffic pause|stop|resume NAME}: maintenance of one service, on its own port and on the front door. */
@Command(name = "traffic", mixinStandardHelpOptions = true,
        description = "Hold a service's new requests for a moment (pause), answer them 503 with a page (stop), or serve again (resume).",
        subcommands = {TrafficCommand.Pause.class, TrafficCommand.Stop.class, TrafficCommand.Resume.class})
final class TrafficCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CliException("traffic: say what to do: pause, stop or resume (rollgate traffic --help)");
    }

    private static int send(LocalServiceCommand c, Map<String, Object> body) {
        var answer = c.daemon.client().post(c.path() + "/traffic", body);
        c.out().println(c.name + " " + answer.path("result").asText());
        c.out().flush();
        return 0;
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "New requests wait until 'traffic resume' (then go on, in order); above --hold-limit, or after --max-pause, they get 503.")
    static final class Pause extends LocalServiceCommand {
        @Option(names = "--hold-limit", paramLabel = "N", defaultValue = "1000", description = "At most this many held requests (default 1000).")
        int holdLimit;

        @Option(names = "--max-pause", paramLabel = "DURATION", defaultValue = "30s",
                description = "A request waits at most this long, then gets 503 with Retry-After (default 30s, at most 1h).")
        String maxPause;

        @Override
        public Integer call() {
            if (holdLimit < 1) throw new CliException("--hold-limit: must be at least 1, got " + holdLimit);
            Duration wait = Durations.parse(maxPause).filter(d -> d.toSeconds() >= 1 && d.compareTo(Duration.ofHours(1)) <= 0)
                    .orElseThrow(() -> new CliException("--max-pause: a duration from 1s to 1h, e.g. 30s or 2m, got '" + maxPause + "'"));
            return send(this, Map.of("mode", "pause", "holdLimit", holdLimit, "maxPauseSeconds", (int) wait.toSeconds()));
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Requests get 503 with the message (or the service's errorPages 503) and Retry-After, until 'traffic resume'.")
    static final class Stop extends LocalServiceCommand {
        @Option(names = "--message", paramLabel = "TEXT", description = "What clients read.")
        String message;

        @Option(names = "--retry-after", paramLabel = "SECONDS", defaultValue = "60", description = "Retry-After (default 60).")
        int retryAfter;

        @Override
        public Integer call() {
            if (retryAfter < 0) throw new CliException("--retry-after: must be 0 or more, got " + retryAfter);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("mode", "stop");
            if (message != null) body.put("message", message);
            body.put("retryAfterSeconds", retryAfter);
            return send(this, body);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Serve again; held requests go on.")
    static final class Resume extends LocalServiceCommand {
        @Override
        public Integer call() {
            return send(this, Map.of("mode", "resume"));
        }
    }
}
