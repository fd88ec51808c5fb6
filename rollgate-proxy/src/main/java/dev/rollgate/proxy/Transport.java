package dev.rollgate.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the proxy's sockets reach the kernel: io_uring where the kernel allows it (the fewest
 * system-call crossings per request, see ADR 0006), else native epoll, else Java NIO.
 */
public enum Transport {
    IO_URING, EPOLL, NIO;

    /** The system property that overrides the automatic choice, e.g. {@code -Drollgate.transport=epoll}. */
    public static final String PROPERTY = "rollgate.transport";

    /** The best transport this machine offers, unless {@link #PROPERTY} names another. */
    public static Transport preferred() {
        String wanted = System.getProperty(PROPERTY, "auto");
        try {
            return parse(wanted);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + PROPERTY + ": " + e.getMessage(), e);
        }
    }

    /** The best transport this machine offers. */
    public static Transport best() {
        if (IO_URING.available()) return IO_URING;
        if (EPOLL.available()) return EPOLL;
        return NIO;
    }

    /** {@code io_uring}, {@code epoll}, {@code nio} or {@code auto}; one that this machine lacks is an error naming why. */
    public static Transport parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (n.equals("auto")) return best();
        Transport t = Arrays.stream(values()).filter(v -> v.label().equals(n)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("transport must be one of auto, io_uring, epoll, nio, got '" + name + "'"));
        if (!t.available()) {
            throw new IllegalArgumentException("transport " + t.label() + " is not available here: " + t.unavailabilityCause());
        }
        return t;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean available() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    private String unavailabilityCause() {
        Throwable cause = switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
        return cause == null ? "unknown" : String.valueOf(cause.getMessage());
    }

    EventLoopGroup group(int threads) {
        IoHandlerFactory factory = switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    Class<? extends SocketChannel> channel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }
}
