package dev.rollgate.health;

/** A check's or a probe's status, as MicroProfile Health writes it. */
public enum Status {
    UP,
    DOWN
}
