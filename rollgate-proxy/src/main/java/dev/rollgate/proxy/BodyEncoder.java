package dev.rollgate.proxy;

import com.aayushatharva.brotli4j.encoder.Encoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliEncoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.compression.Zstd;
import io.netty.handler.codec.compression.ZstdEncoder;

/**
 * One response body compressed as it streams: Netty's gzip, brotli or zstd encoder
 * on an embedded channel, as Netty's {@code HttpContentCompressor} does, but only for the services
 * that ask for it (nothing of it sits in the pipelines of those that do not).
 */
final class BodyEncoder {

    /** Levels that keep a proxy's CPU per response low: nginx's gzip default, brotli 4, zstd 3 (its default). */
    private static final int GZIP_LEVEL = 6;
    private static final int BROTLI_QUALITY = 4;
    private static final int ZSTD_LEVEL = 3;

    private final EmbeddedChannel channel;
    // What came since the last flush: given to the encoder as one buffer (Netty's zstd encoder makes a frame of each write).
    private final CompositeByteBuf pending;

    private BodyEncoder(EmbeddedChannel channel) {
        this.channel = channel;
        this.pending = channel.alloc().compositeBuffer(64);
    }

    /** Whether this process can encode {@code encoding} (brotli and zstd need their native libraries, for this platform). */
    static boolean available(String encoding) {
        return switch (encoding) {
            case "gzip" -> true;
            case "br" -> Brotli.isAvailable();
            case "zstd" -> Zstd.isAvailable();
            default -> false;
        };
    }

    /** An encoder for {@code encoding}: "gzip", "br" or "zstd". */
    static BodyEncoder of(String encoding) {
        return new BodyEncoder(new EmbeddedChannel(switch (encoding) {
            case "gzip" -> ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP, GZIP_LEVEL);
            case "br" -> new BrotliEncoder(new Encoder.Parameters().setQuality(BROTLI_QUALITY));
            case "zstd" -> new ZstdEncoder(ZSTD_LEVEL);
            default -> throw new IllegalArgumentException("no encoder for " + encoding);
        }));
    }

    /** Takes {@code piece} in (and releases it); its compressed bytes come out at the next {@link #flush} or {@link #finish}. */
    void encode(ByteBuf piece) {
        if (piece.isReadable()) pending.addComponent(true, piece);
        else piece.release();
    }

    /**
     * What was taken in since the last flush, compressed so that the client can decode it now (a
     * sync flush; a zstd frame): called once per read of the replica's connection, so that the
     * encoder works on what that read brought together rather than on each small piece of it.
     */
    ByteBuf flush() {
        if (!pending.isReadable()) return Unpooled.EMPTY_BUFFER;
        channel.writeOutbound(pending.retainedSlice());
        pending.removeComponents(0, pending.numComponents());
        pending.clear();
        return drain();
    }

    /** Ends the stream: the rest of the compressed body, with the encoding's trailer. */
    ByteBuf finish() {
        ByteBuf last = flush();
        channel.finish();
        pending.release();
        ByteBuf tail = drain();
        return last.isReadable() ? Unpooled.wrappedBuffer(last, tail) : tail;
    }

    /** Lets go of what it holds (the response was abandoned). */
    void discard() {
        pending.release();
        channel.finishAndReleaseAll();
    }

    private ByteBuf drain() {
        ByteBuf first = channel.readOutbound();
        if (first == null) return Unpooled.EMPTY_BUFFER;
        ByteBuf next = channel.readOutbound();
        if (next == null) return first;
        CompositeByteBuf all = channel.alloc().compositeBuffer();
        all.addComponent(true, first);
        do {
            all.addComponent(true, next);
        } while ((next = channel.readOutbound()) != null);
        return all;
    }
}
