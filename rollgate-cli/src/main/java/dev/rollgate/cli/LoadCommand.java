package dev.rollgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.spec.Durations;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
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

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
        ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        AtomicLong ticket = new AtomicLong();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long intervalNanos = rate == null ? 0 : (long) (1e9 / rate);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            clients.add(Thread.ofVirtual().name("load-" + i).start(() -> {
                while (true) {
                    long due;
                    if (rate != null) {
                        due = start + ticket.getAndIncrement() * intervalNanos;
                        if (due >= end) return;
                        long wait = due - System.nanoTime();
                        if (wait > 0) LockSupport.parkNanos(wait);
                    } else {
                        due = System.nanoTime();
                        if (due >= end) return;
                    }
                    try {
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    } catch (Exception e) {
                        errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                        if (e instanceof InterruptedException) return;
                    }
                    latency.recordValue(Math.min(Math.max(0, (System.nanoTime() - due) / 1000), 3_600_000_000L));
                }
            }));
        }
        for (Thread t : clients) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        print(latency, new TreeMap<>(statuses), new TreeMap<>(errors), seconds);
        long non2xx = statuses.entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(e -> e.getValue().sum()).sum();
        long socketErrors = errors.values().stream().mapToLong(LongAdder::sum).sum();
        return failOnError && (non2xx > 0 || socketErrors > 0) ? 1 : 0;
    }

    private void print(ConcurrentHistogram latency, Map<Integer, LongAdder> statuses, Map<String, LongAdder> errors, double seconds) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long answered = statuses.values().stream().mapToLong(LongAdder::sum).sum();
        long socketErrors = errors.values().stream().mapToLong(LongAdder::sum).sum();
        long non2xx = statuses.entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(e -> e.getValue().sum()).sum();
        double[] q = {50, 90, 99, 99.9};
        if (output == Output.json) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = json.createObjectNode();
            root.put("url", url).put("concurrency", concurrency).put("seconds", Math.round(seconds * 1000) / 1000.0);
            if (rate != null) root.put("rate", rate);
            root.put("requests", answered + socketErrors).put("non2xx", non2xx).put("socketErrors", socketErrors)
                    .put("requestsPerSecond", Math.round((answered + socketErrors) / seconds * 10) / 10.0)
                    .put("coordinatedOmissionCorrected", rate != null);
            ObjectNode codes = root.putObject("statusCodes");
            statuses.forEach((k, v) -> codes.put(Integer.toString(k), v.sum()));
            ObjectNode errs = root.putObject("errors");
            errors.forEach((k, v) -> errs.put(k, v.sum()));
            ObjectNode lat = root.putObject("latencyMillis");
            for (double p : q) lat.put("p" + (p == 99.9 ? "99.9" : Integer.toString((int) p)), latency.getValueAtPercentile(p) / 1000.0);
            lat.put("max", latency.getMaxValue() / 1000.0);
            out.println(json.writeValueAsString(root));
        } else {
            out.printf(Locale.ROOT, "%d requests in %.1fs (%.1f/s) with %d client(s)%s%n", answered + socketErrors, seconds,
                    (answered + socketErrors) / seconds, concurrency, rate == null ? "" : String.format(Locale.ROOT, " at %.0f/s", rate));
            out.println("status codes:");
            statuses.forEach((k, v) -> out.printf("  [%d] %d%n", k, v.sum()));
            out.printf("non-2xx: %d, socket errors: %d%n", non2xx, socketErrors);
            errors.forEach((k, v) -> out.printf("  %s: %d%n", k, v.sum()));
            out.printf("latency%s:%n", rate == null ? "" : " (from when each request was due: corrected for coordinated omission)");
            for (double p : q) out.printf(Locale.ROOT, "  p%-5s %9.2f ms%n", p == 99.9 ? "99.9" : Integer.toString((int) p), latency.getValueAtPercentile(p) / 1000.0);
            out.printf(Locale.ROOT, "  max    %9.2f ms%n", latency.getMaxValue() / 1000.0);
        }
        out.flush();
    }
}
