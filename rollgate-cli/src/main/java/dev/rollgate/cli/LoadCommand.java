package dev.rollgate.cli;

import dev.rollgate.load.Load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.spec.Durations;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rollgate load URL}: a load generator in the spirit of hey. Closed loop by default (each
 * client sends as soon as its last answer came back); with {@code --rate} an open loop whose
 * latencies count from when each request was due, not from when it was sent, so a stalled server
 * cannot hide its stall by slowing the client down (coordinated omission).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Send HTTP GET load to a URL and report status codes, socket errors and latency percentiles.")
final class LoadCommand implements Callable<Integer> {

    enum Output { text, json }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "An http:// URL, e.g. http://127.0.0.1:8080/.")
    String url;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "C", description = "Clients sending at once (default 8).")
    int concurrency = 8;

    @Option(names = {"-r", "--rate"}, paramLabel = "R", description = "Requests per second in all (default: as fast as the clients go).")
    Double rate;

    @Option(names = {"-d", "--duration"}, paramLabel = "D", description = "How long to send, e.g. 10s or 2m (default 10s).")
    String duration = "10s";

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text or json (default text).")
    Output output = Output.text;

    @Option(names = "--fail-on-error", description = "Exit 1 when any response is not 2xx or any request failed on the socket.")
    boolean failOnError;

    @Override
    public Integer call() throws Exception {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "URL is not valid: " + url);
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ParameterException(spec.commandLine(), "URL must be http://HOST[:PORT]/PATH, got " + url);
        }
        if (concurrency < 1 || concurrency > 10_000) throw new ParameterException(spec.commandLine(), "--concurrency must be from 1 to 10000, got " + concurrency);
        if (rate != null && (rate <= 0 || rate.isNaN() || rate > 1_000_000)) {
            throw new ParameterException(spec.commandLine(), "--rate must be above 0 and at most 1000000, got " + rate);
        }
        Duration length = Durations.parse(duration).filter(d -> !d.isZero() && d.compareTo(Duration.ofHours(1)) <= 0)
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "--duration must be like 10s or 2m (at most 1h), got " + duration));

        Load.Result result = Load.start(uri, concurrency, rate, length).await();
        print(result);
        return failOnError && (result.non2xx() > 0 || result.socketErrors() > 0) ? 1 : 0;
    }

    private void print(Load.Result r) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        double[] q = {50, 90, 99, 99.9};
        if (output == Output.json) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = json.createObjectNode();
            root.put("url", url).put("concurrency", concurrency).put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
            if (rate != null) root.put("rate", rate);
            root.put("requests", r.requests()).put("non2xx", r.non2xx()).put("socketErrors", r.socketErrors())
                    .put("requestsPerSecond", Math.round(r.requests() / r.seconds() * 10) / 10.0)
                    .put("coordinatedOmissionCorrected", rate != null);
            ObjectNode codes = root.putObject("statusCodes");
            r.statuses().forEach((k, v) -> codes.put(Integer.toString(k), v));
            ObjectNode errs = root.putObject("errors");
            r.errors().forEach(errs::put);
            ObjectNode lat = root.putObject("latencyMillis");
            for (double p : q) lat.put("p" + (p == 99.9 ? "99.9" : Integer.toString((int) p)), r.millis(p));
            lat.put("max", r.latencyMicros().getMaxValue() / 1000.0);
            out.println(json.writeValueAsString(root));
        } else {
            out.printf(Locale.ROOT, "%d requests in %.1fs (%.1f/s) with %d client(s)%s%n", r.requests(), r.seconds(),
                    r.requests() / r.seconds(), concurrency, rate == null ? "" : String.format(Locale.ROOT, " at %.0f/s", rate));
            out.println("status codes:");
            r.statuses().forEach((k, v) -> out.printf("  [%d] %d%n", k, v));
            out.printf("non-2xx: %d, socket errors: %d%n", r.non2xx(), r.socketErrors());
            r.errors().forEach((k, v) -> out.printf("  %s: %d%n", k, v));
            out.printf("latency%s:%n", rate == null ? "" : " (from when each request was due: corrected for coordinated omission)");
            for (double p : q) out.printf(Locale.ROOT, "  p%-5s %9.2f ms%n", p == 99.9 ? "99.9" : Integer.toString((int) p), r.millis(p));
            out.printf(Locale.ROOT, "  max    %9.2f ms%n", r.latencyMicros().getMaxValue() / 1000.0);
        }
        out.flush();
    }
}
