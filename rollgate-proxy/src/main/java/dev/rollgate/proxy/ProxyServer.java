package dev.rollgate.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Rollgate's L7 proxy for one service: a main listener (weights, match routes) and an optional
 * preview listener (blue-green), both routing through one {@link Router}.
 */
public final class ProxyServer implements AutoCloseable {

    private volatile ProxyConfig config;
    private final Transport transport;
    private volatile boolean masking;
    private volatile TrafficMode traffic = TrafficMode.SERVE;
    private volatile ServiceLimits limits = ServiceLimits.NONE;
    private final PauseQueue pauses = new PauseQueue();
    private final CharSequence requestIdHeader;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final Router router = new Router(metrics, endpointId -> pools.values().forEach(p -> p.cut(endpointId)));
    private final RetryBudget budget;
    private final Mirror mirror = new Mirror(router, metrics);
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ConnectionLimit limit;
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    /** Client connections and HTTP/2 streams that read nothing of what was sent to them, with their upstreams paused. */
    private final Set<Client> stalled = ConcurrentHashMap.newKeySet();
    private volatile BooleanSupplier pressure = MemoryPressure::high;

    /** The transport of this proxy's event loops: a front door that routes here must use the same. */
    public Transport transport() {
        return transport;
    }

    public ProxyServer(ProxyConfig config, int threads, Transport transport) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Leak detection samples and tracks buffers on the request path; a debugging aid, off unless asked for.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        this.config = config;
        this.transport = transport;
        this.masking = config.maskCanaryErrors();
        this.limit = new ConnectionLimit(config.maxConnections());
        this.requestIdHeader = ForwardedHeaders.requestIdHeader(config.requestIdHeader());
        this.budget = new RetryBudget(config.retryBudgetRatio(), 10);
        this.boss = transport.group(1);
        this.workers = transport.group(threads);
        MemoryPressure.watch(this);
    }

    /** Where the pressure is read from: the process's direct memory, or a test's switch. */
    void pressure(BooleanSupplier source) {
        pressure = source;
    }

    /** Under memory pressure (see {@link #pressured()}): every stalled client is cut. Called by the process's one sampler. */
    int shed() {
        if (!pressured()) return 0;
        int cut = 0;
        for (Client c : stalled) {
            if (stalled.remove(c)) {
                c.eventLoop().execute(c::close); // a stream is closed on its connection's loop
                cut++;
            }
        }
        return cut;
    }

    /** Whether new requests are refused for want of memory. */
    boolean pressured() {
        return pressure.getAsBoolean();
    }

    int stalledCount() {
        return stalled.size();
    }

    void stalled(Client client, boolean stalledNow) {
        if (stalledNow) stalled.add(client);
        else stalled.remove(client);
    }

    public ProxyServer(ProxyConfig config, int threads) {
        this(config, threads, Transport.preferred());
    }

    public ProxyServer(ProxyConfig config) {
        this(config, Runtime.getRuntime().availableProcessors());
    }

    /** Listens on {@code address}; a preview listener serves the table's preview revision only. */
    public InetSocketAddress listen(InetSocketAddress address, boolean preview) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!limit.admit(ch)) return;
                        Http1Pipeline.addCleartext(ch.pipeline(), config, () -> new FrontendHandler(ProxyServer.this, preview));
                    }
                });
        Channel ch = b.bind(address).sync().channel();
        listeners.add(ch);
        return (InetSocketAddress) ch.localAddress();
    }

    /** Stops listening on {@code address} (a listener from {@link #listen}); connections already open finish as usual. */
    public void unlisten(InetSocketAddress address) {
        for (Channel ch : listeners) {
            if (ch.localAddress().equals(address)) {
                listeners.remove(ch);
                ch.close().syncUninterruptibly();
                return;
            }
        }
    }

    /** Serve, pause or stop; leaving a pause lets every held request go on, in the order they came. */
    public void traffic(TrafficMode mode) {
        traffic = mode;
        if (mode.mode() != TrafficMode.Mode.PAUSE) pauses.resumeAll();
    }

    public TrafficMode traffic() {
        return traffic;
    }

    /** Holds a request during a pause ({@link PauseQueue#hold}); null when the pause already holds as many as it may. */
    PauseQueue.Ticket hold(EventLoop loop, int maxSeconds, Runnable onResume, Runnable onOutstay) {
        PauseQueue.Ticket t = pauses.hold(loop, maxSeconds, traffic.holdLimit(), onResume, onOutstay);
        if (t != null && traffic.mode() != TrafficMode.Mode.PAUSE) pauses.resumeAll(); // resumed meanwhile
        return t;
    }

    /** Requests a pause holds now. */
    public int held() {
        return pauses.size();
    }

    public void limits(ServiceLimits l) {
        limits = l;
        router.outliers().settings(l.outlierDetection());
    }

    public ServiceLimits limits() {
        return limits;
    }

    /** Error masking on or off from now on (it starts as {@link ProxyConfig#maskCanaryErrors()}). */
    public void setMasking(boolean on) {
        masking = on;
    }

    public boolean masking() {
        return masking;
    }

    public Router router() {
        return router;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public ProxyConfig config() {
        return config;
    }

    /** New timeouts, for the connections opened from now on (a service's spec changed them). */
    public void timeouts(ProxyConfig.Timeouts t) {
        config = config.withTimeouts(t);
    }

    /** The name of the request id header, resolved once from the config. */
    CharSequence requestIdHeader() {
        return requestIdHeader;
    }

    public int connections() {
        return limit.open();
    }

    RetryBudget budget() {
        return budget;
    }

    /** The longest a close waits for its event loops to stop (they get 2 s to finish their work). */
    static final Duration LOOPS_STOP = Duration.ofSeconds(10);

    UpstreamPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new UpstreamPool(l, this::config, transport));
    }

    @Override
    public void close() {
        MemoryPressure.unwatch(this);
        // Closed before close returns: the next apply of the service may bind the same ports at once.
        listeners.forEach(ch -> ch.close().syncUninterruptibly());
        shutDown(boss, workers);
        router.close();
        mirror.close();
        metrics.close();
    }

    /**
     * Stops a listener's event loops, waiting for them at most {@link #LOOPS_STOP}: once a
     * {@code rollgate proxy} of a bench waited forever in its stop for the front door's io_uring
     * loop to terminate (its connections all closed), and so never exited on SIGTERM.
     */
    static void shutDown(EventLoopGroup boss, EventLoopGroup workers) {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(LOOPS_STOP.toMillis());
    }

    /** Where copies of requests go when the table has a mirror route. */
    Mirror mirror() {
        return mirror;
    }
}
