package dev.rollgate.proxy;

/** Where an {@link Exchange} stands, from the request's head to the last byte of its response. */
enum ExchangePhase {
    /** bufferRequests: the body is read whole (up to a limit) before a replica is chosen. */
    BUFFERING,
    /** Choosing a replica, connecting to it, or holding for a ready one: nothing has reached an upstream. */
    CONNECTING,
    /** The head went to an upstream (the body may still stream); no response has gone to the client. */
    SENT,
    /** The response's head went to the client; its body streams. */
    RESPONDING,
    /** A 101: the connection is becoming a byte relay. */
    SWITCHING,
    /** Answered, failed or abandoned: nothing more happens. */
    FINISHED;

    /** Whether the head reached an upstream (from then on the body streams straight to it). */
    boolean headSent() {
        return this == SENT || this == RESPONDING || this == SWITCHING;
    }

    /** Whether anything of a response went to the client: from then on nothing can be retried or replaced. */
    boolean responseStarted() {
        return this == RESPONDING || this == SWITCHING;
    }

    /** Whether the exchange waits on a replica's answer, so that a silent one times out. */
    boolean awaitsUpstream() {
        return this != FINISHED && this != SWITCHING;
    }
}
