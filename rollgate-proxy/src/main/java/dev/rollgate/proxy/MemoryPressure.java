package dev.rollgate.proxy;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

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

    private MemoryPressure() {}

    static boolean high() {
        return DIRECT != null && high(DIRECT.getMemoryUsed(), PlatformDependent.maxDirectMemory());
    }

    static boolean high(long used, long max) {
        return max > 0 && used > HIGH * max;
    }
}
