package dev.rollgate.spec;

import java.util.List;

/**
 * The declared shape of a spec value. One declaration ({@link SpecSchema}) drives both the
 * parser's type checks and the JSON Schema that editors use, so the two cannot drift apart.
 */
public sealed interface Shape {

    String description();

    /** A mapping with known fields; {@code oneOf} groups allow at most (or exactly) one of their fields. */
    record ObjectShape(String description, List<Field> fields, List<OneOf> oneOf) implements Shape {
        public ObjectShape {
            fields = List.copyOf(fields);
            oneOf = List.copyOf(oneOf);
        }

        public Field field(String name) {
            return fields.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
        }

        public List<String> fieldNames() {
            return fields.stream().map(Field::name).toList();
        }
    }

    /** A sequence of values of one shape. */
    record ListShape(String description, Shape items, int minItems) implements Shape {}

    /** A mapping from free-form names to values of one shape (env, labels). */
    record MapShape(String description, Shape values) implements Shape {}

    /**
     * Either a mapping or a list, told apart by what is written: {@code env} as names to values, or as Kubernetes'
     * list of {@code {name, value | valueFrom}}.
     */
    record MapOrListShape(String description, MapShape map, ListShape list) implements Shape {}

    /** A whole number within [min, max]. */
    record IntShape(String description, int min, int max) implements Shape {}

    record BoolShape(String description) implements Shape {}

    /** A decimal number within [min, max]. */
    record NumberShape(String description, double min, double max) implements Shape {}

    /** Text, optionally restricted to a pattern (with a readable hint) or to a set of values. */
    record StringShape(String description, boolean nonEmpty, String pattern, String patternHint, List<String> enumValues)
            implements Shape {
        public StringShape {
            enumValues = List.copyOf(enumValues);
        }
    }

    /** An integer or a percentage such as {@code 25%}. */
    record IntOrPercentShape(String description) implements Shape {}

    /** A duration such as {@code 30s}, {@code 2m}, or a bare number of seconds. */
    record DurationShape(String description) implements Shape {}

    /** Any object, kept as written: the Kubernetes side of a template (a pod template, resources). */
    record FreeShape(String description) implements Shape {}

    /** A named field of an object. */
    record Field(String name, Shape shape, boolean required, Object defaultValue) {
        public Field required(boolean value) {
            return new Field(name, shape, value, defaultValue);
        }

        public Field withDefault(Object value) {
            return new Field(name, shape, required, value);
        }
    }

    /** Fields of which at most one may be set; {@code required} means exactly one. */
    record OneOf(List<String> fields, boolean required) {
        public OneOf {
            fields = List.copyOf(fields);
        }
    }
}
