package dev.rollgate.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Runs a clean stop on Ctrl-C (SIGINT) or SIGTERM and then lets the command return 0. Signal
 * handlers rather than a shutdown hook, because a JVM that dies of SIGTERM exits 143 whatever its
 * hooks did; the hook stays as a fallback for SIGHUP and the like.
 */
final class StopSignal {

    private static final CountDownLatch DONE = new CountDownLatch(1);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private StopSignal() {}

    static void onTerminate(Runnable stop) {
        Runnable once = () -> {
            if (STARTED.compareAndSet(false, true)) {
                try {
                    stop.run();
                } finally {
                    DONE.countDown();
                }
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> Thread.ofPlatform().daemon(false).name("rollgate-stop").start(once));
            } catch (IllegalArgumentException unavailable) {
                // the JVM runs with -Xrs or the signal is reserved; the shutdown hook below still stops replicas
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            once.run();
            awaitQuietly();
        }, "rollgate-stop-hook"));
    }

    /** Blocks until a stop that was started has finished. */
    static void await() throws InterruptedException {
        DONE.await();
    }

    private static void awaitQuietly() {
        try {
            DONE.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
