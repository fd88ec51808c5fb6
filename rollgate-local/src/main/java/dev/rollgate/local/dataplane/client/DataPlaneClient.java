package dev.rollgate.local.dataplane.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Address;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Hello;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Open;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Port;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Served;
import dev.rollgate.local.dataplane.DataPlaneProtocol;
import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.dataplane.server.DataPlaneProcess;
import dev.rollgate.local.process.PrivateFiles;
import dev.rollgate.proxy.Ejection;
import dev.rollgate.proxy.Endpoint;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.RoutingTable;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's side of the data plane: finds the data plane process of its state directory and
 * attaches to it, or starts one; hands out a {@link ProxyHandle} per service; and, should the data
 * plane process die, starts another and gives it back every service as the daemon last set it.
 */
public final class DataPlaneClient implements AutoCloseable {

    /** What the client tells the daemon's event log. */
    public interface Events {
        void event(String type, String reason, String message);
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path stateDir;
    private final String token;
    private final List<String> javaCommand;
    private final Events events;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, RemoteProxy> proxies = new ConcurrentHashMap<>();
    private volatile Address address;
    private volatile Hello found;
    private volatile boolean closed;
    private volatile String lastFailure;
    private DataPlaneSupervisor supervisor;
    private Thread supervisorThread;

    private DataPlaneClient(Path stateDir, String token, List<String> javaCommand, Events events) {
        this.stateDir = stateDir;
        this.token = token;
        this.javaCommand = javaCommand;
        this.events = events;
    }

    /**
     * Attaches to the running data plane of {@code stateDir}, or starts one with {@code javaCommand}
     * (a java command line up to and including the class path). A data plane that speaks another
     * protocol (an older Rollgate) is stopped and replaced.
     */
    public static DataPlaneClient attach(Path stateDir, String token, List<String> javaCommand, Events events) throws IOException {
        DataPlaneClient c = new DataPlaneClient(stateDir, token, javaCommand, events);
        Hello running = c.findRunning();
        if (running != null) {
            c.found = running;
            events.event("Normal", "DataPlaneAttached", "attached to the running data plane (pid " + running.pid() + ", serving "
                    + running.services().size() + " service(s) since " + running.startedAt() + ")");
        } else {
            c.found = new Hello(0, DataPlaneProtocol.VERSION, "", Map.of());
            c.spawn();
            events.event("Normal", "DataPlaneStarted", "started the data plane (pid " + c.address.pid() + ")");
        }
        c.supervisor = new DataPlaneSupervisor(c);
        c.supervisorThread = Thread.ofVirtual().name("dataplane-supervisor").start(c.supervisor::run);
        return c;
    }

    /** The data plane's pid. */
    public long pid() {
        return address.pid();
    }

    /**
     * Serves {@code service} on loopback {@code port}. A service the data plane served already
     * keeps its listeners and its routing table until the daemon sends a new one.
     */
    public ProxyHandle open(String service, int port, ProxyConfig.Timeouts timeouts) throws ProxyHandle.ProxyException {
        RemoteProxy p = new RemoteProxy(this, service, port, timeouts);
        p.bind();
        proxies.put(service, p);
        return p;
    }

    /**
     * The endpoints the data plane was routing to for {@code service} when this daemon attached:
     * replicas that were Ready then stay Ready when re-adopted, until their readiness probe says otherwise.
     */
    public Set<String> routed(String service) {
        Served s = found.services().get(service);
        if (s == null || s.table() == null) return Set.of();
        Set<String> out = new HashSet<>();
        for (List<Endpoint> list : s.table().endpoints().values()) list.forEach(e -> out.add(e.id()));
        return out;
    }

    /** The routing table the data plane serves now for each service (asked now, not at attach). */
    public Map<String, RoutingTable> tables() throws IOException {
        Hello now = DataPlaneProtocol.read(call("GET", "/v1/dataplane", null), Hello.class);
        Map<String, RoutingTable> out = new HashMap<>();
        now.services().forEach((name, served) -> out.put(name, served.table()));
        return out;
    }

    /** The latest ejections of each service's replicas that has any ({@link Ejection}), oldest first. */
    public Map<String, List<Ejection>> ejections() throws IOException {
        return DataPlaneProtocol.MAPPER.readValue(call("GET", "/v1/ejections", null), new TypeReference<Map<String, List<Ejection>>>() {});
    }

    /** The services the data plane served when this daemon attached. */
    public Set<String> served() {
        return found.services().keySet();
    }

    /** Stops serving a service the store no longer has. */
    public void drop(String service) {
        try {
            call("DELETE", "/v1/services/" + service, null);
        } catch (IOException e) {
            failed(e);
        }
    }

    private volatile DataPlaneProtocol.FrontDoorConfig frontDoor;
    private final Map<String, String> challenges = new ConcurrentHashMap<>();

    /** The front door as the daemon wants it now; a data plane that is restarted gets it again. */
    public void frontDoor(DataPlaneProtocol.FrontDoorConfig config) throws ProxyHandle.ProxyException {
        frontDoor = config;
        try {
            call("PUT", "/v1/frontdoor", DataPlaneProtocol.write(config));
            succeeded();
        } catch (IOException e) {
            throw new ProxyHandle.ProxyException(e instanceof RefusedException ? e.getMessage() : "the data plane cannot be reached: " + e.getMessage());
        }
    }

    /** An ACME HTTP-01 answer for the front door to serve (null: no longer). */
    public void challenge(String token, String content) throws IOException {
        if (content == null) challenges.remove(token);
        else challenges.put(token, content);
        String path = "/v1/frontdoor/challenges/" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        if (content == null) call("DELETE", path, null);
        else call("PUT", path, DataPlaneProtocol.write(new DataPlaneProtocol.Challenge(content)));
    }

    void forget(String service, RemoteProxy p) {
        proxies.remove(service, p);
    }

    /** {@code rollgate down}: stops the data plane process; every listener closes. */
    public void stop() {
        closed = true;
        if (supervisorThread != null) supervisorThread.interrupt();
        Address a = address;
        try {
            call("POST", "/v1/stop", "{}");
        } catch (IOException e) {
            // gone already, or it will be killed below
        }
        ProcessHandle.of(a.pid()).ifPresent(h -> {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    /** Detaches: the data plane keeps serving for the next daemon. */
    @Override
    public void close() {
        closed = true;
        if (supervisorThread != null) supervisorThread.interrupt();
    }

    // ---- calls -------------------------------------------------------------------------------------

    String call(String method, String path, String body) throws IOException {
        return call(method, path, body, CALL_TIMEOUT);
    }

    private String call(String method, String path, String body, Duration timeout) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.port() + path))
                .timeout(timeout).header("Authorization", "Bearer " + token);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return answer(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    CompletableFuture<String> callAsync(String path, String body, Duration timeout) {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.port() + path))
                .timeout(timeout).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
            try {
                return answer(resp);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static String answer(HttpResponse<String> r) throws IOException {
        if (r.statusCode() / 100 == 2) return r.body();
        String why;
        try {
            why = DataPlaneProtocol.read(r.body(), DataPlaneProtocol.Error.class).error();
        } catch (IllegalArgumentException e) {
            why = "HTTP " + r.statusCode();
        }
        throw new RefusedException(r.statusCode(), why);
    }

    /** The data plane answered, and said no (a port taken, a bad call): not a reason to restart it. */
    static final class RefusedException extends IOException {
        final int status;

        RefusedException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** A call that did not reach the data plane: said once in the events until one succeeds again. */
    void failed(IOException e) {
        String why = e instanceof RefusedException ? e.getMessage() : "the data plane cannot be reached: " + e;
        if (!why.equals(lastFailure)) {
            lastFailure = why;
            events.event("Warning", "DataPlaneCallFailed", why);
        }
    }

    void succeeded() {
        lastFailure = null;
    }

    // ---- finding, starting and watching the process ---------------------------------------------------

    private Hello findRunning() throws IOException {
        Path file = DataPlaneProtocol.addressFile(stateDir);
        Address a = DataPlaneProtocol.running(stateDir).orElse(null);
        if (a == null) return null;
        address = a;
        if (a.protocol() != DataPlaneProtocol.VERSION) {
            events.event("Warning", "DataPlaneReplaced", "the running data plane (pid " + a.pid() + ") speaks protocol " + a.protocol()
                    + ", this daemon " + DataPlaneProtocol.VERSION + ": stopping it and starting a new one (the services' ports close meanwhile)");
            stop();
            closed = false;
            return null;
        }
        try {
            return DataPlaneProtocol.read(call("GET", "/v1/dataplane", null), Hello.class);
        } catch (IOException e) {
            throw new IOException("the data plane (pid " + a.pid() + ", " + file + ") is running but does not answer on 127.0.0.1:"
                    + a.port() + ": " + e.getMessage() + "; stop it (kill " + a.pid() + ") and start again");
        }
    }

    private void spawn() throws IOException {
        Path file = DataPlaneProtocol.addressFile(stateDir);
        Files.deleteIfExists(file);
        Path log = PrivateFiles.file(DataPlaneProtocol.logFile(stateDir));
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(javaCommand);
        argv.addAll(List.of(DataPlaneProcess.class.getName(), "--state-dir", stateDir.toString()));
        Process p = new ProcessBuilder(argv).redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            var written = DataPlaneProtocol.address(stateDir);
            if (written.isPresent()) {
                try {
                    address = written.get();
                    DataPlaneProtocol.read(call("GET", "/v1/dataplane", null), Hello.class);
                    return;
                } catch (IOException | IllegalArgumentException notYet) {
                    // written but not answering yet
                }
            }
            if (!p.isAlive()) break;
            try {
                p.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        p.destroyForcibly();
        List<String> lines = Files.readAllLines(log);
        throw new IOException("the data plane did not start; the end of " + log + ": "
                + String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
    }

    /** Since when the data plane has not answered the supervisor's pings, if it does not now. */
    public Optional<Instant> unansweredSince() {
        return supervisor.unansweredSince();
    }

    boolean closed() {
        return closed;
    }

    Events events() {
        return events;
    }

    Path stateDir() {
        return stateDir;
    }

    /** Whether the data plane answers within {@code timeout}. */
    boolean answers(Duration timeout) {
        try {
            call("GET", "/v1/dataplane", null, timeout);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A new data plane process in place of one that died, given back every service, the front door and the ACME answers. */
    void restart() throws IOException, ProxyHandle.ProxyException {
        long dead = address.pid();
        spawn();
        for (RemoteProxy p : proxies.values()) {
            try {
                p.replay();
            } catch (ProxyHandle.ProxyException e) {
                // One service that cannot be given back (its port taken meanwhile) does not keep the others from theirs.
                failed(new RefusedException(409, "the restarted data plane could not serve " + p.service() + " again: " + e.getMessage()));
            }
        }
        if (frontDoor != null) frontDoor(frontDoor);
        for (var c : challenges.entrySet()) challenge(c.getKey(), c.getValue());
        succeeded();
        events.event("Warning", "DataPlaneRestarted", "the data plane (pid " + dead + ") died; started pid " + address.pid()
                + " and gave it back " + proxies.size() + " service(s)");
    }

    static String open(int port, ProxyConfig.Timeouts t) {
        return DataPlaneProtocol.write(new Open(port, t));
    }

    static int port(String answer) {
        return DataPlaneProtocol.read(answer, Port.class).port();
    }
}
