package dev.rollgate.cli;

import dev.rollgate.proxy.AdminServer;
import dev.rollgate.proxy.Compression;
import dev.rollgate.proxy.Endpoint;
import dev.rollgate.proxy.FrontDoor;
import dev.rollgate.proxy.OutlierDetection;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.ProxyServer;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.proxy.ServiceLimits;
import dev.rollgate.proxy.Transport;
import dev.rollgate.proxy.UpstreamProtocol;
import dev.rollgate.proxy.frontdoor.Certificates;
import dev.rollgate.proxy.frontdoor.FrontDoorRoutes;
import dev.rollgate.spec.Durations;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code rollgate proxy}: the L7 proxy on its own, in front of fixed upstreams. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Run Rollgate's L7 proxy in front of fixed upstreams (all treated as ready).",
                "Connect failures are retried on another upstream; /metrics and /stats are on the admin address."})
final class ProxyCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", converter = Address.class,
            description = "Where clients connect, e.g. 127.0.0.1:8080.")
    InetSocketAddress listen;

    @Option(names = "--listen-tls", paramLabel = "HOST:PORT", converter = Address.class,
            description = "Also serve TLS here (HTTP/2 and HTTP/1.1 by ALPN), with --tls-cert and --tls-key.")
    InetSocketAddress listenTls;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain for --listen-tls (read again when it changes).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Its private key (PKCS#8).")
    Path tlsKey;

    @Option(names = "--upstream", required = true, paramLabel = "HOST:PORT", converter = Address.class,
            description = "An upstream replica; repeat for several.")
    List<InetSocketAddress> upstreams = new ArrayList<>();

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = Address.class,
            description = "Admin address for /metrics and /stats (default: none).")
    InetSocketAddress admin;

    @Option(names = "--threads", paramLabel = "N", description = "Event-loop threads (default: one per core).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--transport", paramLabel = "KIND", converter = TransportName.class,
            description = "auto (default: io_uring where the kernel allows it, else epoll, else nio), io_uring, epoll or nio.")
    Transport transport; // resolved in call(): probing loads native code, which every other command can do without

    @Option(names = "--first-request-timeout", paramLabel = "DURATION", converter = Timeout.class, defaultValue = "10s",
            description = "A new connection must send its first request within this (default 10s), as HAProxy's timeout http-request.")
    Duration firstRequestTimeout;

    @Option(names = "--send-timeout", paramLabel = "DURATION", converter = Timeout.class, defaultValue = "60s",
            description = "Drop a client that reads nothing of its response for this long (default 60s), as nginx's send_timeout.")
    Duration sendTimeout;

    @Option(names = "--upstream-timeout", paramLabel = "DURATION", converter = Timeout.class, defaultValue = "60s",
            description = "504 when an upstream sends nothing for this long while a request waits (default 60s), as nginx's proxy_read_timeout.")
    Duration upstreamTimeout;

    @Option(names = "--upstream-protocol", paramLabel = "PROTOCOL", defaultValue = "http1",
            description = "What the upstreams speak: http1 (default) or h2c (HTTP/2 in clear text, as gRPC servers do).")
    String upstreamProtocol;

    @Override
    public Integer call() throws Exception {
        if (!upstreamProtocol.equals("http1") && !upstreamProtocol.equals("h2c")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--upstream-protocol must be http1 or h2c, got " + upstreamProtocol);
        }
        if (threads < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        if (transport == null) {
            try {
                transport = Transport.preferred();
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < upstreams.size(); i++) {
            InetSocketAddress u = upstreams.get(i);
            endpoints.add(new Endpoint("upstream-" + i, "static", u.getHostString(), u.getPort()));
        }
        ProxyServer proxy = new ProxyServer(ProxyConfig.defaults()
                .withTimeouts(new ProxyConfig.Timeouts(firstRequestTimeout, sendTimeout, upstreamTimeout)), threads, transport);
        proxy.router().update(RoutingTable.single("static", endpoints));
        if (upstreamProtocol.equals("h2c")) {
            proxy.limits(new ServiceLimits(0, false, Map.of(), OutlierDetection.DEFAULT, Compression.OFF, UpstreamProtocol.H2C));
        }
        InetSocketAddress bound;
        try {
            bound = proxy.listen(listen, false);
        } catch (Exception e) {
            proxy.close();
            spec.commandLine().getErr().println("rollgate proxy: cannot listen on " + listen.getHostString() + ":" + listen.getPort()
                    + ": " + e.getMessage());
            return 1;
        }
        if ((listenTls == null) != (tlsCert == null) || (tlsCert == null) != (tlsKey == null)) {
            proxy.close();
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--listen-tls, --tls-cert and --tls-key go together");
        }
        FrontDoor tls = null;
        if (listenTls != null) {
            tls = new FrontDoor(name -> proxy, ProxyConfig.defaults(), transport, threads, m -> {});
            tls.routes(new FrontDoorRoutes(List.of(
                    new FrontDoorRoutes.Route("static", List.of(), "/", false, false, 0))));
            tls.certificates(Map.of("default", new Certificates.Pem(tlsCert, tlsKey)));
            try {
                InetSocketAddress b = tls.listenTls(listenTls);
                spec.commandLine().getOut().printf("rollgate proxy: TLS (h2, http/1.1; %s) on %s:%d%n",
                        Certificates.provider(), b.getHostString(), b.getPort());
            } catch (Exception e) {
                tls.close();
                proxy.close();
                spec.commandLine().getErr().println("rollgate proxy: cannot listen on " + listenTls + ": " + e.getMessage());
                return 1;
            }
        }
        FrontDoor door = tls;
        AdminServer adminServer = admin == null ? null : new AdminServer(admin, proxy.metrics());
        spec.commandLine().getOut().printf("rollgate proxy: listening on %s:%d -> %d upstream(s) (%s)%s%n", bound.getHostString(), bound.getPort(),
                endpoints.size(), transport.label(), adminServer == null ? "" : "; metrics on http://" + admin.getHostString() + ":" + adminServer.address().getPort() + "/metrics");
        spec.commandLine().getOut().flush();
        StopSignal.onTerminate(() -> {
            if (adminServer != null) adminServer.close();
            if (door != null) door.close();
            proxy.close();
        });
        StopSignal.await();
        return 0;
    }

    /** A transport's name, checked against what this machine offers. */
    /** A duration such as 500ms, 10s or 2m: more than 0, at most 24h. */
    static final class Timeout implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value)
                    .filter(d -> !d.isZero() && !d.isNegative() && d.compareTo(Duration.ofHours(24)) <= 0)
                    .orElseThrow(() -> new picocli.CommandLine.TypeConversionException(
                            "expected a duration such as 500ms, 10s or 2m (more than 0, at most 24h), got '" + value + "'"));
        }
    }

    static final class TransportName implements ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            try {
                return Transport.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080. */
    static final class Address implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new TypeConversionException("expected HOST:PORT, e.g. 127.0.0.1:8080, got '" + value + "'");
            }
            String host = value.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("port must be a number from 0 to 65535, got '" + value.substring(colon + 1) + "'");
            }
            if (port < 0 || port > 65535) throw new TypeConversionException("port must be from 0 to 65535, got " + port);
            return new InetSocketAddress(host, port);
        }
    }
}
