package dev.rollgate.local.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A failure of work that runs on a tick (the migration gate's): said once, and again only when its
 * words change, and retried after waits that double from {@code first} up to {@code max}, so a file
 * that stays broken costs one event and a check a minute, not an event every tick.
 */
public final class RepeatedFailure {

    private final Duration first;
    private final Duration max;
    private String said;
    private Duration wait;
    private Instant next = Instant.MIN;

    public RepeatedFailure(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    /** Whether the work should run at {@code now}: always, unless a failure's wait is not over. */
    public boolean due(Instant now) {
        return !now.isBefore(next);
    }

    /** Records a failure at {@code now}; the words to report, or empty when the same words were said already. */
    public Optional<String> failed(String why, Instant now) {
        wait = wait == null ? first : wait.multipliedBy(2).compareTo(max) > 0 ? max : wait.multipliedBy(2);
        next = now.plus(wait);
        if (why.equals(said)) return Optional.empty();
        said = why;
        return Optional.of(why);
    }

    public void succeeded() {
        said = null;
        wait = null;
        next = Instant.MIN;
    }
}
