package dev.rollgate.spec;

import java.util.List;
import java.util.stream.Collectors;

/** The only exception the spec parser throws: every error found, in file order. */
public final class InvalidSpecException extends Exception {

    private final transient List<SpecError> errors;

    public InvalidSpecException(List<SpecError> errors) {
        super(errors.stream().map(SpecError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) throw new IllegalArgumentException("an invalid spec has at least one error");
        this.errors = List.copyOf(errors);
    }

    public List<SpecError> errors() {
        return errors;
    }
}
