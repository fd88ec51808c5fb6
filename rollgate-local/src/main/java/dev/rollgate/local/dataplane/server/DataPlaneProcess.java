package dev.rollgate.local.dataplane.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.local.ApiException;
import dev.rollgate.local.LoopbackApi;
import dev.rollgate.local.QueryString;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Address;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Drain;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Drained;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Forget;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Hello;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Masking;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Open;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Port;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Served;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Totals;
import dev.rollgate.local.dataplane.DataPlaneProtocol;
import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.process.PrivateFiles;
import dev.rollgate.local.process.StateDirLock;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.proxy.FrontDoor;
import dev.rollgate.proxy.Ejection;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.proxy.ServiceLimits;
import dev.rollgate.proxy.TrafficMetrics;
import dev.rollgate.proxy.TrafficMode;
import dev.rollgate.proxy.Transport;
import dev.rollgate.proxy.frontdoor.FrontDoorRoutes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The data plane: every service's listeners and proxy, in a process of their own that the daemon
 * starts once and re-attaches to. A daemon that crashes, is killed or is upgraded leaves it
 * serving by the last routing table it was given, so traffic never waits for the control plane,
 * as a Kubernetes Service keeps working while its controllers restart. The daemon drives it over
 * a loopback control API behind the state directory's token; it stops when told to (by
 * {@code rollgate down}) or when its state directory is removed.
 */
public final class DataPlaneProcess {


    private final Path stateDir;
    private final byte[] token;
    private final StateDirLock lock;
    private final Map<String, InProcessProxy> services = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Instant started = Instant.now();
    private final ProxyConfig config = ProxyConfig.defaults();
    private HttpServer control;
    private FrontDoor door;
    private DataPlaneProtocol.FrontDoorConfig doorConfig;

    private DataPlaneProcess(Path stateDir, String token, StateDirLock lock) {
        this.stateDir = stateDir;
        this.token = LoopbackApi.authorization(token);
        this.lock = lock;
    }

    public static void main(String[] args) {
        if (args.length != 2 || !args[0].equals("--state-dir")) {
            System.err.println("usage: " + DataPlaneProcess.class.getName() + " --state-dir DIR");
            System.exit(2);
        }
        try {
            DataPlaneProcess p = start(Path.of(args[1]));
            System.out.printf("rollgate data plane: running (pid %d); control API on 127.0.0.1:%d; state in %s%n",
                    ProcessHandle.current().pid(), p.port(), p.stateDir);
            System.out.flush();
            p.stopped.join();
            System.out.println("rollgate data plane: stopped");
            System.exit(0);
        } catch (IOException e) {
            System.err.println("rollgate data plane: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Takes the state directory's data plane lock, serves the control API and writes {@code dataplane.json}. */
    static DataPlaneProcess start(Path dir) throws IOException {
        Path stateDir = dir.toAbsolutePath().normalize();
        Path tokenFile = DaemonFiles.tokenFile(stateDir); // the daemon's own token: one secret for both APIs
        if (!Files.isReadable(tokenFile)) throw new IOException("no token in " + tokenFile + ": the daemon creates it before it starts a data plane");
        String token = Files.readString(tokenFile).strip();
        StateDirLock lock = StateDirLock.take(DataPlaneProtocol.lockFile(stateDir), "another data plane is running for " + stateDir);
        DataPlaneProcess p = new DataPlaneProcess(stateDir, token, lock);
        p.control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        p.control.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        p.control.createContext("/", p::handle);
        p.control.start();
        Address address = new Address(ProcessHandle.current().pid(), p.port(), DataPlaneProtocol.VERSION);
        PrivateFiles.write(DataPlaneProtocol.addressFile(stateDir), DataPlaneProtocol.write(address));
        Thread.ofVirtual().name("dataplane-watch").start(() -> p.watch(address));
        return p;
    }

    int port() {
        return control.getAddress().getPort();
    }

    /** Stops when {@code dataplane.json} no longer names this process: its state directory was removed or taken over. */
    private void watch(Address mine) {
        while (!stopped.isDone()) {
            try {
                stopped.get(2, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                if (DataPlaneProtocol.address(stateDir).filter(now -> now.pid() == mine.pid()).isPresent()) continue;
                System.out.println("rollgate data plane: " + DataPlaneProtocol.addressFile(stateDir) + " no longer names this process; stopping");
                stop();
                return;
            } catch (Exception e) {
                return;
            }
        }
    }

    /** Closes every listener, then the control API. */
    void stop() {
        synchronized (this) {
            if (stopped.isDone()) return;
            if (door != null) door.close();
            services.values().forEach(InProcessProxy::close);
            services.clear();
            control.stop(0);
            try {
                if (DataPlaneProtocol.address(stateDir).filter(a -> a.pid() == ProcessHandle.current().pid()).isPresent()) {
                    Files.delete(DataPlaneProtocol.addressFile(stateDir));
                }
            } catch (IOException e) {
                // gone already
            }
            lock.close();
        }
        stopped.complete(null);
    }

    // ---- the control API ---------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!LoopbackApi.bearer(ex, token)) {
                reply(ex, 401, new DataPlaneProtocol.Error("missing or wrong token"));
                return;
            }
            try {
                route(ex, ex.getRequestMethod(), ex.getRequestURI().getPath(), QueryString.parse(ex.getRequestURI()));
            } catch (ApiException e) {
                reply(ex, e.status(), new DataPlaneProtocol.Error(e.getMessage()));
            } catch (IllegalArgumentException e) {
                reply(ex, 400, new DataPlaneProtocol.Error(e.getMessage()));
            } catch (RuntimeException e) {
                reply(ex, 500, new DataPlaneProtocol.Error(e.toString()));
            }
        }
    }

    private void route(HttpExchange ex, String method, String path, Map<String, String> q) throws IOException {
        String[] p = path.split("/");
        // p[0] is "", p[1] is "v1"
        if (path.equals("/v1/dataplane") && method.equals("GET")) {
            reply(ex, 200, hello());
            return;
        }
        if (path.equals("/v1/ejections") && method.equals("GET")) {
            Map<String, List<Ejection>> out = new TreeMap<>();
            services.forEach((name, proxy) -> {
                List<Ejection> e = proxy.metrics().ejections();
                if (!e.isEmpty()) out.put(name, e);
            });
            reply(ex, 200, out);
            return;
        }
        if (path.equals("/v1/stop") && method.equals("POST")) {
            reply(ex, 200, Map.of("stopping", true));
            Thread.ofVirtual().start(this::stop);
            return;
        }
        if (path.equals("/v1/frontdoor") && method.equals("PUT")) {
            frontDoor(body(ex, DataPlaneProtocol.FrontDoorConfig.class));
            reply(ex, 200, Map.of());
            return;
        }
        if (path.startsWith("/v1/frontdoor/challenges/")) {
            String token = URLDecoder.decode(path.substring("/v1/frontdoor/challenges/".length()), StandardCharsets.UTF_8);
            if (door == null) throw new ApiException(409, "the front door is not listening: ACME needs its HTTP listener (rollgate up --listen)");
            door.challenge(token, method.equals("DELETE") ? null : body(ex, DataPlaneProtocol.Challenge.class).content());
            reply(ex, 200, Map.of());
            return;
        }
        if (p.length < 4 || !p[1].equals("v1") || !p[2].equals("services")) throw new ApiException(404, "no such path: " + path);
        String name = p[3];
        if (p.length == 4) {
            switch (method) {
                case "PUT" -> reply(ex, 200, new Port(open(name, body(ex, Open.class)).address().getPort()));
                case "DELETE" -> reply(ex, 200, Map.of("deleted", drop(name)));
                default -> throw new ApiException(405, method + " " + path);
            }
            return;
        }
        InProcessProxy proxy = services.get(name);
        if (proxy == null) throw new ApiException(404, "the data plane does not serve " + name);
        String what = p[4] + (p.length > 5 ? "/" + p[5] : "");
        switch (method + " " + what) {
            case "PUT table" -> {
                proxy.update(body(ex, RoutingTable.class));
                reply(ex, 200, Map.of());
            }
            case "PUT preview" -> {
                try {
                    proxy.previewPort(body(ex, Port.class).port());
                } catch (ProxyHandle.ProxyException e) {
                    throw new ApiException(409, e.getMessage());
                }
                reply(ex, 200, Map.of());
            }
            case "PUT timeouts" -> {
                proxy.timeouts(body(ex, ProxyConfig.Timeouts.class));
                reply(ex, 200, Map.of());
            }
            case "PUT traffic" -> {
                proxy.traffic(body(ex, TrafficMode.class));
                reply(ex, 200, Map.of());
            }
            case "PUT limits" -> {
                proxy.limits(body(ex, ServiceLimits.class));
                reply(ex, 200, Map.of());
            }
            case "PUT masking" -> {
                proxy.masking(body(ex, Masking.class).on());
                reply(ex, 200, Map.of());
            }
            case "POST drain" -> {
                Drain d = body(ex, Drain.class);
                reply(ex, 200, new Drained(proxy.drain(d.endpoint(), Duration.ofMillis(d.timeoutMillis())).join()));
            }
            case "POST forget" -> {
                proxy.forget(body(ex, Forget.class).endpoint());
                reply(ex, 200, Map.of());
            }
            default -> metrics(ex, proxy.metrics(), method, what, q);
        }
    }

    private void metrics(HttpExchange ex, TrafficMetrics m, String method, String what, Map<String, String> q) throws IOException {
        if (!method.equals("GET") || !what.startsWith("metrics/")) throw new ApiException(404, "no such call: " + method + " " + what);
        switch (what.substring("metrics/".length())) {
            case "revision" -> reply(ex, 200, m.forRevision(param(q, "revision"), intParam(q, "seconds")));
            case "endpoint" -> reply(ex, 200, m.forEndpoint(param(q, "endpoint"), intParam(q, "seconds")));
            case "series" -> reply(ex, 200, m.series(param(q, "revision"), intParam(q, "seconds")));
            case "revisions" -> reply(ex, 200, new TreeMap<>(Map.of("revisions", m.revisions())));
            case "sample" -> reply(ex, 200, m.latencySample(param(q, "revision"), intParam(q, "seconds"), intParam(q, "max")));
            case "mirror" -> reply(ex, 200, m.mirrored(param(q, "revision")));
            case "ejections" -> reply(ex, 200, m.ejections());
            case "totals" -> {
                String revision = param(q, "revision");
                long[] byClass = new long[5];
                for (int c = 1; c <= 5; c++) byClass[c - 1] = m.total(revision, c);
                reply(ex, 200, new Totals(byClass, m.retries(revision), m.socketErrors(revision)));
            }
            case "prometheus" -> LoopbackApi.send(ex, 200, "text/plain; version=0.0.4", m.prometheus());
            default -> throw new ApiException(404, "no such metric call: " + what);
        }
    }

    /** Stops serving {@code name}: under the lock {@link #open} takes, so the two never interleave. */
    private synchronized boolean drop(String name) {
        InProcessProxy gone = services.remove(name);
        if (gone != null) gone.close();
        return gone != null;
    }

    /** Serves {@code name} on its port; one served already keeps its listeners and table, so a re-attaching daemon changes nothing. */
    private synchronized InProcessProxy open(String name, Open o) {
        InProcessProxy existing = services.get(name);
        if (existing != null && (o.port() == 0 || existing.address().getPort() == o.port())) {
            existing.timeouts(o.timeouts());
            return existing;
        }
        if (existing != null) services.remove(name).close();
        try {
            InProcessProxy proxy = new InProcessProxy(o.port(), config.withTimeouts(o.timeouts()));
            services.put(name, proxy);
            return proxy;
        } catch (ProxyHandle.ProxyException e) {
            throw new ApiException(409, e.getMessage());
        }
    }

    /** Listeners as asked (re-bound only when their addresses change), then routes, certificates and settings. */
    private synchronized void frontDoor(DataPlaneProtocol.FrontDoorConfig c) {
        boolean rebind = door == null || doorConfig == null || !Objects.equals(c.listen(), doorConfig.listen())
                || !Objects.equals(c.listenTls(), doorConfig.listenTls());
        if (c.listen() == null && c.listenTls() == null) {
            if (door != null) door.close();
            door = null;
            doorConfig = c;
            return;
        }
        if (rebind) {
            if (door != null) door.close();
            door = null;
            var d = new FrontDoor(name -> {
                InProcessProxy p = services.get(name);
                return p == null ? null : p.server();
            }, config, Transport.preferred(), m -> System.out.println("rollgate data plane: " + m));
            try {
                if (c.listen() != null) d.listenHttp(address(c.listen(), "--listen"));
                if (c.listenTls() != null) d.listenTls(address(c.listenTls(), "--listen-tls"));
            } catch (ApiException e) {
                d.close();
                throw e;
            } catch (Exception e) {
                d.close();
                throw new ApiException(409, "the front door cannot listen on " + (c.listen() == null ? "" : c.listen() + " ")
                        + (c.listenTls() == null ? "" : c.listenTls()) + ": " + e.getMessage());
            }
            door = d;
        }
        door.routes(new FrontDoorRoutes(c.routes()));
        door.certificates(c.certificates());
        try {
            door.settings(new FrontDoor.Settings(c.trustedProxies(), c.accessLog() == null ? null : Path.of(c.accessLog()),
                    50L << 20, 5));
        } catch (UnknownHostException e) {
            throw new ApiException(400, "trusted proxies: " + e.getMessage());
        }
        doorConfig = c;
    }

    /** "host:port", ":port" (every address) or "[::1]:port". */
    static InetSocketAddress address(String s, String what) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) throw new ApiException(400, what + ": expected HOST:PORT or :PORT, got " + s);
        String host = s.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ApiException(400, what + ": the port is not a number in " + s);
        }
        if (port < 0 || port > 65535) throw new ApiException(400, what + ": the port must be 0..65535 in " + s);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    private Hello hello() {
        Map<String, Served> served = new LinkedHashMap<>();
        new TreeMap<>(services).forEach((name, p) -> served.put(name, new Served(p.address().getPort(), p.previewPort(), p.masking(),
                p.timeouts(), p.table())));
        return new Hello(ProcessHandle.current().pid(), DataPlaneProtocol.VERSION, started.toString(), served);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static <T> T body(HttpExchange ex, Class<T> type) throws IOException {
        return DataPlaneProtocol.read(new String(LoopbackApi.body(ex), StandardCharsets.UTF_8), type);
    }

    private static String param(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) throw new ApiException(400, "missing query parameter " + name);
        return v;
    }

    private static int intParam(Map<String, String> q, String name) {
        try {
            return Integer.parseInt(param(q, name));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "query parameter " + name + " is not a number: " + q.get(name));
        }
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        LoopbackApi.send(ex, status, "application/json", DataPlaneProtocol.write(body));
    }
}
