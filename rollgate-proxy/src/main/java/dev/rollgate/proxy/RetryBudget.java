package dev.rollgate.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps masking retries at a share of requests (e.g. 20 %), so that a canary failing everything
 * cannot double the load on stable. Counts decay by halving every {@code halfLifeRequests}, so the
 * budget follows recent traffic; a small floor lets a quiet service mask its first few errors.
 */
final class RetryBudget {

    private final double ratio;
    private final long floor;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    RetryBudget(double ratio, long floor) {
        this.ratio = ratio;
        this.floor = floor;
    }

    void onRequest() {
        long n = requests.incrementAndGet();
        if (n >= 10_000 && requests.compareAndSet(n, n / 2)) retries.updateAndGet(r -> r / 2);
    }

    /** Takes one retry from the budget if there is one left. */
    boolean tryRetry() {
        while (true) {
            long r = retries.get();
            if (r + 1 > floor + ratio * requests.get()) return false;
            if (retries.compareAndSet(r, r + 1)) return true;
        }
    }
}
