package dev.rollgate.cli;

import java.util.List;

/** A failure the user caused or can fix, said in words: printed as {@code rollgate: message}, each detail on its own line, exit 1. */
final class CliException extends RuntimeException {

    private final List<String> details;

    CliException(String message) {
        this(message, List.of());
    }

    CliException(String message, List<String> details) {
        super(message);
        this.details = List.copyOf(details);
    }

    List<String> details() {
        return details;
    }
}
