package dev.rollgate.health;

import java.time.Duration;

/** Counts requests being served, so that a shutdown can wait for the last one. */
public final class InFlight {

    private final Object lock = new Object();
    private int active;
    private long total;

    public void begin() {
        synchronized (lock) {
            active++;
            total++;
        }
    }

    public void end() {
        synchronized (lock) {
            if (active > 0) active--;
            if (active == 0) lock.notifyAll();
        }
    }

    public int active() {
        synchronized (lock) {
            return active;
        }
    }

    public long total() {
        synchronized (lock) {
            return total;
        }
    }

    /** Waits until no request is in flight or the timeout passes; returns how many are still in flight. */
    public int awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (active > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) break;
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return active;
        }
    }
}
