package dev.rollgate.kubernetes;

import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.SpecParser;

/** A spec file's first Rollout, as the controller reads it. */
final class ControllerSpecs {

    private ControllerSpecs() {}

    static RolloutSpec of(String yaml) {
        try {
            return SpecParser.parse(yaml).getFirst().spec();
        } catch (dev.rollgate.spec.InvalidSpecException e) {
            throw new IllegalArgumentException(e.errors().toString());
        }
    }
}
