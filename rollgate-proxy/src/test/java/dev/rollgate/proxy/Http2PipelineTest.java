package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The front door's HTTP/2 connection: what it says to a client before any stream. */
class Http2PipelineTest {

    /** Each frame's type, stream and first four bytes of payload, as sent. */
    private record Frame(byte type, int stream, long firstWord) {}

    private static List<Frame> framesSent(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        List<Frame> frames = new ArrayList<>();
        while (all.readableBytes() >= 9) {
            int length = all.readUnsignedMedium();
            byte type = all.readByte();
            all.skipBytes(1);
            int stream = all.readInt() & Integer.MAX_VALUE;
            long word = length >= 4 ? all.getUnsignedInt(all.readerIndex()) : -1;
            all.skipBytes(length);
            frames.add(new Frame(type, stream, word));
        }
        all.release();
        return frames;
    }

    @Test
    void theConnectionWindowHasRoomForEveryStreamsOwn() {
        var ch = new EmbeddedChannel();
        Http2Pipeline.addTo(ch.pipeline(), ProxyConfig.defaults(), RecordingListener::new);

        var connection = ch.pipeline().get(Http2ClientConnection.class).connection();
        assertThat(connection.local().flowController().windowSize(connection.connectionStream()))
                .isEqualTo(Http2Pipeline.MAX_STREAMS * Http2CodecUtil.DEFAULT_WINDOW_SIZE);
        List<Frame> sent = framesSent(ch);
        assertThat(sent).isNotEmpty();
        assertThat(sent.get(0).type()).as("the server's preface, SETTINGS, first").isEqualTo(Http2FrameTypes.SETTINGS);
        assertThat(sent).contains(new Frame(Http2FrameTypes.WINDOW_UPDATE, 0, Http2Pipeline.CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
        ch.finishAndReleaseAll();
    }

    @Test
    void theConnectionHoldsTheAnswersOfManyStreamsBeforeTheyWait() {
        var ch = new EmbeddedChannel();
        Http2Pipeline.addTo(ch.pipeline(), ProxyConfig.defaults(), RecordingListener::new);
        assertThat(ch.config().getWriteBufferHighWaterMark()).as("HTTP/1.1's 64 KB would stall a burst of 128 streams' answers")
                .isEqualTo(512 * 1024);
        assertThat(ch.config().getWriteBufferLowWaterMark()).isEqualTo(256 * 1024);
        ch.finishAndReleaseAll();
    }
}
