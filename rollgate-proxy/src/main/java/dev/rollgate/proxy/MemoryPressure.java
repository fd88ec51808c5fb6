package dev.rollgate.proxy;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the process is short of direct memory, where every buffered request and response lives.
 * Above three quarters of the limit the proxy sheds load as Envoy's overload manager does
 * ({@code stop_accepting_requests}, {@code reset_high_memory_stream}): new requests get 503 and
 * clients that read nothing of what was sent to them are cut, before an allocation fails.
 */
final class MemoryPressure {

    /** The share of the direct-memory limit above which the proxy sheds load. */
    static final double HIGH = 0.75;

    private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct")).findFirst().orElse(null);

    /** How often the process's one sampler reads the figure (a thread for the process, not one per service). */
    private static final long SAMPLE_MILLIS = 250;

    private static final Set<ProxyServer> WATCHED = ConcurrentHashMap.newKeySet();
    private static volatile boolean high;
    private static ScheduledExecutorService sampler;

    private MemoryPressure() {}

    /** The last sample: read on every request, so a field, not a measurement. */
    static boolean high() {
        return high;
    }

    /** Starts cutting {@code server}'s stalled clients when memory runs short. */
    static synchronized void watch(ProxyServer server) {
        WATCHED.add(server);
        if (sampler == null) {
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rollgate-memory-pressure");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(MemoryPressure::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    static void unwatch(ProxyServer server) {
        WATCHED.remove(server);
    }

    private static void sample() {
        high = DIRECT != null && high(DIRECT.getMemoryUsed(), PlatformDependent.maxDirectMemory());
        for (ProxyServer s : WATCHED) s.shed();
    }

    static boolean high(long used, long max) {
        return max > 0 && used > HIGH * max;
    }
}
