package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an upstream stream's end tells its request: refused unprocessed (it may go again), or closed under it. */
class BackendHandlerTest {

    /** Records what the handler reports. */
    private static final class Said implements Upstream {
        final List<String> events = new ArrayList<>();

        @Override public void onResponse(HttpResponse response) { events.add("response"); }
        @Override public void onResponseContent(HttpContent content) { content.release(); events.add("content"); }
        @Override public void onRawBytes(ByteBuf bytes) { bytes.release(); events.add("raw"); }
        @Override public void onUpstreamClosed(Throwable cause) { events.add("closed"); }
        @Override public void onUpstreamRefused() { events.add("refused"); }
        @Override public void onUpstreamSilent() { events.add("silent"); }
        @Override public void onUpstreamWritable() { events.add("writable"); }
        @Override public void onUpstreamReadComplete() { events.add("readComplete"); }
    }

    private static List<String> after(Object event) {
        var handler = new BackendHandler();
        var said = new Said();
        handler.exchange = said;
        var ch = new EmbeddedChannel(handler);
        ch.pipeline().fireUserEventTriggered(event);
        ch.close(); // the stream's close that follows
        return said.events;
    }

    @Test
    void aGoAwayThatLeftTheStreamUnprocessedRefusesItAndItsCloseIsNoFailure() {
        var goAway = new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR, Unpooled.copiedBuffer(new byte[] {1}));
        assertThat(after(goAway)).containsExactly("refused");
        assertThat(goAway.refCnt()).as("the frame's debug data is let go").isZero();
    }

    @Test
    void aResetSayingRefusedStreamRefusesItAndAnyOtherResetIsAClose() {
        assertThat(after(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM))).containsExactly("refused");
        assertThat(after(new DefaultHttp2ResetFrame(Http2Error.CANCEL))).containsExactly("closed");
    }
}
