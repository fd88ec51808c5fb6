package dev.rollgate.migrate;

import java.util.Locale;

/**
 * When a migration may run. Expand: additive, both the old and the new version of the code work
 * with the schema it leaves, so it runs before the new revision's first replica starts. Contract:
 * destructive, only the new code works after it, so it waits until nothing older runs and the
 * rollback window has passed.
 */
public enum Phase {
    EXPAND, CONTRACT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
