package dev.rollgate.proxy;

import java.time.Duration;

/** How a drain ended: how long it took and how many in-flight requests the timeout cut. */
public record DrainResult(Endpoint endpoint, Duration took, int cut) {}
