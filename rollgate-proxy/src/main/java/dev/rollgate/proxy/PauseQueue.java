package dev.rollgate.proxy;

import io.netty.channel.EventLoop;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests a paused service holds (kamal-proxy's {@code PauseController}): each takes a slot,
 * up to the pause's limit, and waits until the service resumes, its own time limit passes, or its
 * client leaves. Resuming lets every held request go on, in the order they came.
 */
final class PauseQueue {

    private final Queue<Ticket> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();

    /** One held request's slot. */
    final class Ticket {
        private final EventLoop loop;
        private final Runnable onResume;
        private ScheduledFuture<?> limit;

        private Ticket(EventLoop loop, Runnable onResume) {
            this.loop = loop;
            this.onResume = onResume;
        }

        private void resume() {
            loop.execute(() -> {
                if (limit != null) limit.cancel(false);
                onResume.run();
            });
        }

        /** Gives the slot back; false when the service resumed first (then onResume runs, or ran). */
        private boolean cancel() {
            if (!held.remove(this)) return false;
            count.decrementAndGet();
            return true;
        }

        /** The request leaves (its client went away): the slot goes back and its limit is off. */
        void leave() {
            if (limit != null) limit.cancel(false);
            cancel();
        }
    }

    /**
     * Holds a request, on its event loop: {@code onResume} runs there when the service resumes, or
     * {@code onOutstay} when {@code maxSeconds} pass first. Null when {@code slots} are taken already.
     */
    Ticket hold(EventLoop loop, int maxSeconds, int slots, Runnable onResume, Runnable onOutstay) {
        if (count.incrementAndGet() > slots) {
            count.decrementAndGet();
            return null;
        }
        Ticket t = new Ticket(loop, onResume);
        held.add(t);
        t.limit = loop.schedule(() -> {
            if (t.cancel()) onOutstay.run();
        }, maxSeconds, TimeUnit.SECONDS);
        return t;
    }

    /** Lets every held request go on, in the order they came. */
    void resumeAll() {
        Ticket t;
        while ((t = held.poll()) != null) {
            count.decrementAndGet();
            t.resume();
        }
    }

    /** Requests held now. */
    int size() {
        return count.get();
    }
}
