package dev.rollgate.simulation;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** Time that moves only when told to: the controller's clock in a simulation or a test. */
public final class VirtualClock implements InstantSource {

    private Instant now;

    public VirtualClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    public void set(Instant t) {
        if (t.isAfter(now)) now = t;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }
}
