package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.BrotliDecoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.compression.ZstdDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A body compressed piece by piece decodes, with the encoding's own decoder, to exactly what went in, and is smaller. */
class BodyEncoderTest {

    private static ChannelHandler decoder(String encoding) {
        return switch (encoding) {
            case "gzip" -> ZlibCodecFactory.newZlibDecoder(ZlibWrapper.GZIP);
            case "br" -> new BrotliDecoder();
            default -> new ZstdDecoder();
        };
    }

    private static String decoded(EmbeddedChannel decode) {
        StringBuilder got = new StringBuilder();
        ByteBuf b;
        while ((b = decode.readInbound()) != null) {
            got.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return got.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void piecesCompressedOneByOneDecodeToTheWholeBody(String encoding) {
        StringBuilder expected = new StringBuilder();
        BodyEncoder encoder = BodyEncoder.of(encoding);
        EmbeddedChannel decode = new EmbeddedChannel(decoder(encoding));
        long sent = 0;
        StringBuilder decodedSoFar = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String piece = "{\"order\": " + i + ", \"status\": \"shipped\", \"items\": [\"tea\", \"milk\"]}\n";
            expected.append(piece);
            encoder.encode(Unpooled.copiedBuffer(piece, StandardCharsets.UTF_8));
            if (i % 50 == 49) {
                // the end of one read of the replica's connection: what it brought can be decoded now
                ByteBuf out = encoder.flush();
                sent += out.readableBytes();
                decode.writeInbound(out);
                assertThat(decoded(decode)).as("decodable at once").isEqualTo(expected.substring(decodedSoFar.length()));
                decodedSoFar.append(expected.substring(decodedSoFar.length()));
            }
        }
        encoder.encode(Unpooled.EMPTY_BUFFER);
        ByteBuf nothing = encoder.flush();
        assertThat(nothing.readableBytes()).as("an empty piece adds nothing").isZero();
        ByteBuf tail = encoder.finish();
        sent += tail.readableBytes();
        decode.writeInbound(tail);

        assertThat(decodedSoFar + decoded(decode)).isEqualTo(expected.toString());
        assertThat(sent).as("smaller than the %d bytes that went in", expected.length()).isLessThan(expected.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void anAbandonedBodyLetsGoOfWhatItHeld(String encoding) {
        BodyEncoder encoder = BodyEncoder.of(encoding);
        ByteBuf piece = Unpooled.copiedBuffer("x".repeat(10_000), StandardCharsets.UTF_8);
        encoder.encode(piece);
        encoder.discard();
        assertThat(piece.refCnt()).isZero();
    }
}
