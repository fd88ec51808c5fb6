package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A paused service's held requests: slots up to the limit, resumed in order, timed out alone, given back when the client leaves. */
class PauseQueueTest {

    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final PauseQueue queue = new PauseQueue();
    private final List<String> happened = new ArrayList<>();

    private PauseQueue.Ticket hold(String name, int slots) {
        return queue.hold(loop.eventLoop(), 5, slots, () -> happened.add(name + " resumed"), () -> happened.add(name + " outstayed"));
    }

    @Test
    void resumingLetsEveryHeldRequestGoOnInTheOrderTheyCame() {
        hold("a", 10);
        hold("b", 10);
        hold("c", 10);
        assertThat(queue.size()).isEqualTo(3);

        queue.resumeAll();
        assertThat(queue.size()).isZero();
        assertThat(happened).as("on each request's own loop, not the caller's").isEmpty();
        loop.runPendingTasks();
        assertThat(happened).containsExactly("a resumed", "b resumed", "c resumed");

        loop.advanceTimeBy(10, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        assertThat(happened).as("a resumed request's limit is off").hasSize(3);
    }

    @Test
    void aFullPauseHoldsNoMore() {
        assertThat(hold("a", 2)).isNotNull();
        assertThat(hold("b", 2)).isNotNull();
        assertThat(hold("c", 2)).isNull();
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void aRequestHeldPastItsLimitIsToldSoAndGivesItsSlotBack() {
        hold("a", 1);
        loop.advanceTimeBy(4, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        assertThat(happened).isEmpty();

        loop.advanceTimeBy(1, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        assertThat(happened).containsExactly("a outstayed");
        assertThat(queue.size()).isZero();
        assertThat(hold("b", 1)).as("its slot is free again").isNotNull();

        queue.resumeAll();
        loop.runPendingTasks();
        assertThat(happened).as("an outstayed request is not resumed too").containsExactly("a outstayed", "b resumed");
    }

    @Test
    void aClientThatLeavesGivesItsSlotBackAndHearsNothingMore() {
        var a = hold("a", 1);
        a.leave();
        assertThat(queue.size()).isZero();
        queue.resumeAll();
        loop.runPendingTasks();
        loop.advanceTimeBy(10, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        assertThat(happened).isEmpty();
    }
}
