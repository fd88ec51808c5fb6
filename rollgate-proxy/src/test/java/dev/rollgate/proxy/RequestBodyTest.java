package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A request body held, buffered, streamed or refused, piece by piece. */
class RequestBodyTest {

    private static HttpContent piece(int bytes) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    private static HttpContent last(int bytes) {
        return new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    @Test
    void heldUntilAReplicaHasTheHeadThenHandedOverInOrderThenStreamed() {
        var body = new RequestBody(0);
        HttpContent a = piece(10), b = piece(10);
        assertThat(body.take(a, false, null)).isEqualTo(RequestBody.Taken.HELD);
        assertThat(body.take(b, false, null)).isEqualTo(RequestBody.Taken.HELD);
        assertThat(body.drain()).containsExactly(a, b);
        assertThat(body.drain()).isEmpty();

        List<HttpContent> sent = new ArrayList<>();
        HttpContent end = last(5);
        assertThat(body.take(end, false, sent::add)).isEqualTo(RequestBody.Taken.SENT);
        assertThat(sent).containsExactly(end);
        assertThat(body.done()).isTrue();
        a.release();
        b.release();
        end.release();
    }

    @Test
    void whatARefusedStreamCarriedIsPutBackBeforeWhatCameSince() {
        var body = new RequestBody(0);
        HttpContent sentBefore = piece(10), cameSince = last(3);
        assertThat(body.take(cameSince, false, null)).isEqualTo(RequestBody.Taken.HELD);
        body.putBack(List.of(sentBefore));
        assertThat(body.drain()).containsExactly(sentBefore, cameSince);
        assertThat(body.done()).isTrue();
        sentBefore.release();
        cameSince.release();
    }

    @Test
    void whileNoReplicaHasTheHeadTheClientIsReadNoFurtherOnceEnoughIsHeld() {
        var body = new RequestBody(0);
        for (int i = 0; i < RequestBody.MAX_HELD; i++) assertThat(body.take(piece(1), false, null)).isEqualTo(RequestBody.Taken.HELD);
        assertThat(body.take(piece(1), false, null)).isEqualTo(RequestBody.Taken.HELD_FULL);
        assertThat(body.take(last(1), false, null)).as("the end never stops the reading").isEqualTo(RequestBody.Taken.HELD);
        body.release();
    }

    @Test
    void bufferingEndsWithTheWholeBodyOrWhenABufferIsFull() {
        var whole = new RequestBody(0);
        assertThat(whole.take(piece(100), true, null)).isEqualTo(RequestBody.Taken.HELD);
        assertThat(whole.take(last(100), true, null)).isEqualTo(RequestBody.Taken.BUFFERED);
        assertThat(whole.drain()).hasSize(2).allSatisfy(HttpContent::release);

        var large = new RequestBody(0);
        assertThat(large.take(piece(1), true, null)).isEqualTo(RequestBody.Taken.HELD);
        var over = new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[(int) RequestBody.MAX_BUFFERED + 1]));
        assertThat(large.take(over, true, null)).isEqualTo(RequestBody.Taken.BUFFERED);
        assertThat(large.done()).isFalse();
        large.release();
    }

    @Test
    void aBodyOverTheLimitIsDroppedAndSaidSoWhateverElseHolds() {
        var body = new RequestBody(15);
        HttpContent first = piece(10);
        assertThat(body.take(first, false, null)).isEqualTo(RequestBody.Taken.HELD);
        HttpContent second = piece(10);
        assertThat(body.take(second, true, null)).isEqualTo(RequestBody.Taken.TOO_LARGE);
        assertThat(second.refCnt()).as("released").isZero();
        body.release();
        assertThat(first.refCnt()).isZero();
    }
}
