package dev.rollgate.spec;

import dev.rollgate.spec.Shape.BoolShape;
import dev.rollgate.spec.Shape.DurationShape;
import dev.rollgate.spec.Shape.Field;
import dev.rollgate.spec.Shape.FreeShape;
import dev.rollgate.spec.Shape.IntOrPercentShape;
import dev.rollgate.spec.Shape.IntShape;
import dev.rollgate.spec.Shape.ListShape;
import dev.rollgate.spec.Shape.MapOrListShape;
import dev.rollgate.spec.Shape.MapShape;
import dev.rollgate.spec.Shape.NumberShape;
import dev.rollgate.spec.Shape.ObjectShape;
import dev.rollgate.spec.Shape.OneOf;
import dev.rollgate.spec.Shape.StringShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Checks a YAML node tree against a {@link Shape} and turns it into plain values, collecting every error. */
final class Binder {

    /** Deeper than any real spec; stops alias cycles ({@code &a [*a]}) from recursing forever. */
    private static final int MAX_DEPTH = 40;
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern PERCENT = Pattern.compile("([0-9]+)%");

    private final List<SpecError> errors;

    Binder(List<SpecError> errors) {
        this.errors = errors;
    }

    /** Binds {@code node} to {@code shape}; returns null (and records why) when it does not fit. */
    Object bind(Node node, Shape shape, String path, int depth) {
        if (depth > MAX_DEPTH) {
            error(path, node, "nested too deeply (more than " + MAX_DEPTH + " levels; is there an alias cycle?)");
            return null;
        }
        if (holdsNul(node, path)) return null;
        return switch (shape) {
            case ObjectShape s -> bindObject(node, s, path, depth);
            case ListShape s -> bindList(node, s, path, depth);
            case MapShape s -> bindMap(node, s, path, depth);
            case MapOrListShape s when node instanceof SequenceNode -> bindList(node, s.list(), path, depth);
            case MapOrListShape s when node instanceof MappingNode -> bindMap(node, s.map(), path, depth);
            case MapOrListShape s -> {
                error(path, node, "expected a mapping of names to values or a list, got " + describe(node));
                yield null;
            }
            case IntShape s -> bindInt(node, s, path);
            case BoolShape s -> bindBool(node, path);
            case NumberShape s -> bindNumber(node, s, path);
            case StringShape s -> bindString(node, s, path);
            case IntOrPercentShape s -> bindIntOrPercent(node, path);
            case DurationShape s -> bindDuration(node, path);
            case FreeShape s -> bindFree(node, path, depth);
        };
    }

    /** A whole document as written, as plain maps, lists and scalars (for keeping it as it was applied). */
    Object plain(Node node) {
        return free(node, "", 0);
    }

    /** An object kept as written: maps, lists and scalars as plain Java values. */
    private Object bindFree(Node node, String path, int depth) {
        if (!(node instanceof MappingNode)) {
            error(path, node, "expected an object, got " + describe(node));
            return null;
        }
        return free(node, path, depth);
    }

    private Object free(Node node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            error(path, node, "nested too deeply (more than " + MAX_DEPTH + " levels; is there an alias cycle?)");
            return null;
        }
        switch (node) {
            case MappingNode m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    String key = keyOf(t.getKeyNode(), path);
                    if (key == null) return null;
                    Object v = free(t.getValueNode(), join(path, key), depth + 1);
                    if (v == null && !isNull(t.getValueNode())) return null;
                    out.put(key, v);
                }
                return out;
            }
            case SequenceNode seq -> {
                List<Object> out = new ArrayList<>();
                for (Node n : seq.getValue()) out.add(free(n, path, depth + 1));
                return out;
            }
            case ScalarNode sc -> {
                if (isNull(sc) || holdsNul(sc, path)) return null;
                if (sc.getTag().equals(Tag.INT)) {
                    try {
                        return Long.parseLong(sc.getValue());
                    } catch (NumberFormatException e) {
                        return sc.getValue();
                    }
                }
                if (sc.getTag().equals(Tag.BOOL)) return Boolean.parseBoolean(sc.getValue());
                if (sc.getTag().equals(Tag.FLOAT)) return Double.parseDouble(sc.getValue());
                return sc.getValue();
            }
            default -> {
                error(path, node, "not a value");
                return null;
            }
        }
    }

    private CheckedObject bindObject(Node node, ObjectShape shape, String path, int depth) {
        if (!(node instanceof MappingNode mapping)) {
            error(path, node, "expected an object with fields " + shape.fieldNames() + ", got " + describe(node));
            return null;
        }
        CheckedObject obj = new CheckedObject(path, line(node));
        boolean ok = true;
        Set<String> seen = new HashSet<>();
        Set<String> given = new HashSet<>(); // set in the file, valid or not: not "missing" when invalid
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyOf(tuple.getKeyNode(), path);
            if (key == null) {
                ok = false;
                continue;
            }
            String fieldPath = join(path, key);
            if (!seen.add(key)) {
                error(fieldPath, tuple.getKeyNode(), "duplicate field; each field may appear once");
                ok = false;
                continue;
            }
            Field field = shape.field(key);
            if (field == null) {
                String hint = DidYouMean.closest(key, shape.fieldNames())
                        .map(s -> "did you mean " + s + "?")
                        .orElse("valid fields are " + String.join(", ", shape.fieldNames()));
                error(fieldPath, tuple.getKeyNode(), "unknown field; " + hint);
                ok = false;
                continue;
            }
            if (isNull(tuple.getValueNode())) continue; // YAML null means "not set", as in Kubernetes
            given.add(key);
            Object value = bind(tuple.getValueNode(), field.shape(), fieldPath, depth + 1);
            if (value == null) {
                ok = false;
                continue;
            }
            obj.put(key, value, line(tuple.getKeyNode()));
        }
        for (Field field : shape.fields()) {
            if (given.contains(field.name())) continue;
            if (field.required()) {
                error(join(path, field.name()), node, "required field is missing");
                ok = false;
            } else if (field.defaultValue() != null) {
                obj.put(field.name(), field.defaultValue(), 0);
            }
        }
        for (OneOf group : shape.oneOf()) {
            List<String> present = group.fields().stream().filter(given::contains).toList();
            if (present.size() > 1) {
                error(path, node, "set only one of " + String.join(", ", group.fields()) + "; found " + String.join(" and ", present));
                ok = false;
            } else if (present.isEmpty() && group.required()) {
                error(path, node, "set one of " + String.join(", ", group.fields()));
                ok = false;
            }
        }
        return ok ? obj : null;
    }

    private List<Object> bindList(Node node, ListShape shape, String path, int depth) {
        if (!(node instanceof SequenceNode seq)) {
            error(path, node, "expected a list, got " + describe(node)
                    + (node instanceof ScalarNode ? " (argv is a list, e.g. [java, -jar, app.jar])" : ""));
            return null;
        }
        if (seq.getValue().size() < shape.minItems()) {
            error(path, node, "needs at least " + shape.minItems() + " item" + (shape.minItems() == 1 ? "" : "s"));
            return null;
        }
        List<Object> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            Object value = isNull(item) ? null : bind(item, shape.items(), path + "[" + i + "]", depth + 1);
            if (value == null) {
                if (isNull(item)) error(path + "[" + i + "]", item, "empty list item");
                ok = false;
            } else {
                out.add(value);
            }
        }
        return ok ? List.copyOf(out) : null;
    }

    private Map<String, Object> bindMap(Node node, MapShape shape, String path, int depth) {
        if (!(node instanceof MappingNode mapping)) {
            error(path, node, "expected a mapping of names to values, got " + describe(node));
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean ok = true;
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyOf(tuple.getKeyNode(), path);
            if (key == null) {
                ok = false;
                continue;
            }
            String entryPath = join(path, key);
            if (out.containsKey(key)) {
                error(entryPath, tuple.getKeyNode(), "duplicate name; each name may appear once");
                ok = false;
                continue;
            }
            Object value = isNull(tuple.getValueNode()) ? "" : bind(tuple.getValueNode(), shape.values(), entryPath, depth + 1);
            if (value == null) ok = false;
            else out.put(key, value);
        }
        return ok ? out : null;
    }

    private Integer bindInt(Node node, IntShape shape, String path) {
        if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.INT)
                || !INTEGER.matcher(scalar.getValue()).matches()) {
            error(path, node, "expected a whole number, got " + describe(node));
            return null;
        }
        long value;
        try {
            value = Long.parseLong(scalar.getValue().startsWith("+") ? scalar.getValue().substring(1) : scalar.getValue());
        } catch (NumberFormatException tooLong) {
            value = scalar.getValue().startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (value < shape.min() || value > shape.max()) {
            String range = shape.max() == Integer.MAX_VALUE ? "at least " + shape.min() : "from " + shape.min() + " to " + shape.max();
            error(path, node, "must be " + range + ", got " + scalar.getValue());
            return null;
        }
        return (int) value;
    }

    private Boolean bindBool(Node node, String path) {
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
            return switch (scalar.getValue().toLowerCase()) {
                case "true", "yes", "on", "y" -> true;
                default -> false;
            };
        }
        error(path, node, "expected true or false, got " + describe(node));
        return null;
    }

    private String bindString(Node node, StringShape shape, String path) {
        if (!(node instanceof ScalarNode scalar)) {
            error(path, node, "expected text, got " + describe(node));
            return null;
        }
        String value = scalar.getValue();
        if (!shape.enumValues().isEmpty() && !shape.enumValues().contains(value)) {
            String hint = shape.enumValues().size() == 1 ? "" : DidYouMean.closest(value, shape.enumValues()).map(s -> "; did you mean " + s + "?").orElse("");
            error(path, node, "must be " + String.join(" or ", shape.enumValues()) + ", got \"" + value + "\"" + hint);
            return null;
        }
        if (shape.nonEmpty() && value.isBlank()) {
            error(path, node, "must not be empty");
            return null;
        }
        if (shape.pattern() != null && !value.matches(shape.pattern())) {
            error(path, node, "\"" + value + "\" is not valid: " + shape.patternHint());
            return null;
        }
        return value;
    }

    private IntOrPercent bindIntOrPercent(Node node, String path) {
        if (node instanceof ScalarNode scalar) {
            String v = scalar.getValue().strip();
            var percent = PERCENT.matcher(v);
            try {
                if (scalar.getTag().equals(Tag.INT) && v.matches("[0-9]{1,9}")) return IntOrPercent.of(Integer.parseInt(v));
                if (percent.matches() && v.length() <= 10) return IntOrPercent.percent(Integer.parseInt(percent.group(1)));
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
        }
        error(path, node, "expected a non-negative whole number or a percentage like 25%, got " + describe(node));
        return null;
    }

    private Double bindNumber(Node node, NumberShape shape, String path) {
        if (node instanceof ScalarNode scalar && !isNull(node)) {
            try {
                double d = Double.parseDouble(scalar.getValue().strip());
                if (Double.isFinite(d) && d >= shape.min() && d <= shape.max()) return d;
                error(path, node, "must be from " + shape.min() + " to " + shape.max() + ", got " + scalar.getValue());
                return null;
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        error(path, node, "expected a number, got " + describe(node));
        return null;
    }

    private Duration bindDuration(Node node, String path) {
        if (node instanceof ScalarNode scalar) {
            var parsed = Durations.parse(scalar.getValue());
            if (parsed.isPresent()) return parsed.get();
        }
        error(path, node, "expected a duration such as 30s, 2m, 1h or a number of seconds, got " + describe(node));
        return null;
    }

    private String keyOf(Node keyNode, String path) {
        if (keyNode instanceof ScalarNode scalar) return holdsNul(scalar, path) ? null : scalar.getValue();
        error(path, keyNode, "a field name must be plain text, got " + describe(keyNode));
        return null;
    }

    /**
     * A NUL character passes YAML but no process argument, environment variable, file name, URL or
     * header can carry it: refused here, by field, rather than by the daemon when a replica starts.
     */
    private boolean holdsNul(Node node, String path) {
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().indexOf('\0') < 0) return false;
        error(path, node, "contains a NUL character (\\0), which no command, environment variable, file name or URL can carry");
        return true;
    }

    private void error(String path, Node node, String message) {
        errors.add(new SpecError(path, line(node), message));
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "an object";
            case SequenceNode s -> "a list";
            case ScalarNode s when s.getTag().equals(Tag.NULL) -> "nothing (null)";
            case ScalarNode s -> {
                String kind = s.getTag().equals(Tag.INT) ? "number" : s.getTag().equals(Tag.BOOL) ? "boolean"
                        : s.getTag().equals(Tag.FLOAT) ? "number" : "text";
                String v = s.getValue();
                yield kind + " \"" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "\"";
            }
            default -> "a " + node.getNodeId().name();
        };
    }
}
