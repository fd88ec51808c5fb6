package dev.rollgate.proxy;

import dev.rollgate.proxy.frontdoor.Certificates;
import dev.rollgate.proxy.frontdoor.FrontDoorRoutes;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SniHandler;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The public listener in front of every service: plain HTTP and TLS (SNI, certificates reloaded
 * when their files change, ALPN h2 then http/1.1), each request routed by host and path to its
 * service's proxy, where it is handled exactly as on the service's own port (routing table,
 * drains, retries, masking, metrics), with HTTP/1.1 to the replicas. It answers ACME HTTP-01
 * challenges, trusts X-Forwarded-For only from configured proxies, and writes an access log.
 */
public final class FrontDoor implements AutoCloseable, FrontDoorChoice.Door {

    /** Where ACME servers look for HTTP-01 answers. */
    static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";

    /**
     * @param trustedProxies CIDRs (or single addresses) whose X-Forwarded-For / -Proto / -Host are kept
     * @param accessLog      where the JSON lines go, or null
     */
    public record Settings(List<String> trustedProxies, Path accessLog, long accessLogMaxBytes, int accessLogFiles) {
        public Settings {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /** The server name a TLS client asked for (SNI), on its connection: a request for another host is misdirected (421). */
    static final AttributeKey<String> SNI_HOST = AttributeKey.valueOf("rollgate.sni");

    private final Function<String, ProxyServer> services;
    private final ProxyConfig config;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Certificates certificates;
    private final Map<String, String> challenges = new ConcurrentHashMap<>();
    private final ConnectionLimit limit;
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reloader;
    private volatile FrontDoorRoutes routes = FrontDoorRoutes.NONE;
    private volatile TrustedProxies trusted = TrustedProxies.NONE;
    private volatile AccessLog accessLog;
    private volatile int httpsPort;

    /** {@code services}: the proxy of a service by name (null when it has none). */
    public FrontDoor(Function<String, ProxyServer> services, ProxyConfig config, Transport transport, Consumer<String> log) {
        this(services, config, transport, Math.max(1, Runtime.getRuntime().availableProcessors()), log);
    }

    public FrontDoor(Function<String, ProxyServer> services, ProxyConfig config, Transport transport, int threads, Consumer<String> log) {
        this.services = services;
        this.config = config;
        this.transport = transport;
        // Within a quarter of the limit from one client address: one abusive peer cannot shut every other out.
        this.limit = new ConnectionLimit(config.maxConnections(), Math.max(1, config.maxConnections() / 4));
        this.boss = transport.group(1);
        this.workers = transport.group(threads);
        this.certificates = new Certificates(log);
        this.reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollgate-certificates");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(certificates::reloadChanged, 1, 1, TimeUnit.SECONDS);
    }

    /** Listens for plain HTTP on {@code address}: HTTP/1.1, or HTTP/2 from a client that opens with its preface (h2c, as gRPC clients do). */
    public InetSocketAddress listenHttp(InetSocketAddress address) throws InterruptedException {
        return bind(address, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (!limit.admit(ch)) return;
                Http1Pipeline.addCleartext(ch.pipeline(), config, () -> new FrontendHandler(FrontDoor.this, false));
            }
        });
    }

    /** Listens for TLS on {@code address}: SNI picks the certificate, ALPN picks h2 or http/1.1. */
    public InetSocketAddress listenTls(InetSocketAddress address) throws InterruptedException {
        InetSocketAddress bound = bind(address, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (!limit.admit(ch)) return;
                ch.pipeline().addLast("sni", new SniHandler(certificates, 16 * 1024, config.headerTimeout().toMillis()));
                ch.pipeline().addLast("sni-name", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof SniCompletionEvent sni && sni.isSuccess() && sni.hostname() != null) ctx.channel().attr(SNI_HOST).set(sni.hostname());
                        ctx.fireUserEventTriggered(evt);
                        if (evt instanceof SniCompletionEvent) ctx.pipeline().remove(this);
                    }
                });
                ch.pipeline().addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                    @Override
                    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                            Http2Pipeline.addTo(ctx.pipeline(), config, () -> new FrontendHandler(FrontDoor.this, true));
                        } else {
                            http1(ctx.pipeline(), true);
                        }
                    }
                });
            }
        });
        httpsPort = bound.getPort();
        return bound;
    }

    private InetSocketAddress bind(InetSocketAddress address, ChannelInitializer<SocketChannel> init) throws InterruptedException {
        Channel ch = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true).childHandler(init).bind(address).sync().channel();
        listeners.add(ch);
        return (InetSocketAddress) ch.localAddress();
    }

    private void http1(ChannelPipeline p, boolean tls) {
        Http1Pipeline.addTo(p, config, new FrontendHandler(this, tls));
    }

    // ---- what the daemon sets --------------------------------------------------------------------

    public void routes(FrontDoorRoutes r) {
        routes = r;
    }

    @Override
    public FrontDoorRoutes routes() {
        return routes;
    }

    /** The certificate files by host name (a wildcard {@code *.example.com} serves one more label). */
    public void certificates(Map<String, Certificates.Pem> byHost) {
        certificates.set(byHost);
    }

    /** Reads changed certificate files now rather than at the next second. */
    public void reloadCertificates() {
        certificates.reloadChanged();
    }

    public void settings(Settings s) throws UnknownHostException {
        trusted = TrustedProxies.of(s.trustedProxies());
        AccessLog old = accessLog;
        if (old == null || s.accessLog() == null || !old.file().equals(s.accessLog())) {
            accessLog = s.accessLog() == null ? null : new AccessLog(s.accessLog(), s.accessLogMaxBytes(), s.accessLogFiles());
            if (old != null) old.close();
        }
    }

    /** An ACME HTTP-01 answer to serve (null content: remove it). */
    public void challenge(String token, String keyAuthorization) {
        if (keyAuthorization == null) challenges.remove(token);
        else challenges.put(token, keyAuthorization);
    }

    // ---- what a connection asks ------------------------------------------------------------------

    @Override
    public String challenge(String token) {
        return challenges.get(token);
    }

    ProxyServer server(String service) {
        return services.apply(service);
    }

    @Override
    public boolean serves(String service) {
        return server(service) != null;
    }

    @Override
    public String httpsPortSuffix() {
        int p = httpsPort;
        return p == 0 || p == 443 ? "" : ":" + p;
    }

    /** Whether the connection's peer is a proxy whose X-Forwarded-* headers are kept. */
    boolean trusts(InetAddress peer) {
        return trusted.trusts(peer);
    }

    boolean logging() {
        return accessLog != null;
    }

    void log(AccessLog.Entry e) {
        AccessLog l = accessLog;
        if (l != null) l.log(e);
    }

    /** A request the door answered itself (no service, a redirect). */
    void logRejected(HttpRequest request, int status, String client, boolean tls) {
        AccessLog l = accessLog;
        if (l != null) l.log(ExchangeLog.entry(request, ForwardedHeaders.REQUEST_ID, status, 0, 0, null, false, client, tls));
    }

    public int connections() {
        return limit.open();
    }

    @Override
    public void close() {
        listeners.forEach(Channel::close);
        reloader.shutdownNow();
        ProxyServer.shutDown(boss, workers);
        AccessLog l = accessLog;
        if (l != null) l.close();
    }
}
