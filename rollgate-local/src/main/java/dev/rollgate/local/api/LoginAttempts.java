package dev.rollgate.local.api;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Wrong tokens tried at the dashboard's login: at most {@code limit} in a sliding {@code window},
 * then the form answers 429 until the oldest leaves the window. The token has 256 bits, so this
 * is not what keeps it secret; it keeps a page (or a script) from trying at the speed of loopback.
 */
final class LoginAttempts {

    private final int limit;
    private final long windowNanos;
    private final Deque<Long> failures = new ArrayDeque<>();

    LoginAttempts(int limit, Duration window) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    synchronized void add() {
        forgetOld(System.nanoTime());
        failures.addLast(System.nanoTime());
    }

    synchronized boolean full() {
        forgetOld(System.nanoTime());
        return failures.size() >= limit;
    }

    /** Whole seconds until one more attempt is allowed (at least 1). */
    synchronized long secondsUntilRoom() {
        if (failures.isEmpty()) return 1;
        long left = failures.peekFirst() + windowNanos - System.nanoTime();
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    private void forgetOld(long now) {
        while (!failures.isEmpty() && now - failures.peekFirst() > windowNanos) failures.removeFirst();
    }
}
