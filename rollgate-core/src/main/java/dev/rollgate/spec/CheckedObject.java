package dev.rollgate.spec;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spec object after its shape was checked: values with defaults filled in, and the line of
 * every field, so that checks across fields can still name the place in the file.
 */
public final class CheckedObject {

    private final String path;
    private final int line;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, Integer> lines = new LinkedHashMap<>();

    CheckedObject(String path, int line) {
        this.path = path;
        this.line = line;
    }

    void put(String name, Object value, int valueLine) {
        values.put(name, value);
        lines.put(name, valueLine);
    }

    public String path() {
        return path;
    }

    public int line() {
        return line;
    }

    public String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public int line(String field) {
        return lines.getOrDefault(field, line);
    }

    public boolean has(String field) {
        return values.get(field) != null;
    }

    public int integer(String field) {
        return (Integer) values.get(field);
    }

    public Integer optionalInteger(String field) {
        return (Integer) values.get(field);
    }

    public boolean bool(String field) {
        return (Boolean) values.get(field);
    }

    public double number(String field) {
        return (Double) values.get(field);
    }

    public Duration duration(String field) {
        return (Duration) values.get(field);
    }

    public String string(String field) {
        return (String) values.get(field);
    }

    public IntOrPercent intOrPercent(String field) {
        return (IntOrPercent) values.get(field);
    }

    public CheckedObject obj(String field) {
        return (CheckedObject) values.get(field);
    }

    @SuppressWarnings("unchecked")
    public List<CheckedObject> objs(String field) {
        Object v = values.get(field);
        return v == null ? List.of() : (List<CheckedObject>) v;
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String field) {
        Object v = values.get(field);
        return v == null ? List.of() : (List<String>) v;
    }

    /** The field was written as a list (a {@code MapOrListShape} holds either). */
    public boolean isList(String field) {
        return values.get(field) instanceof List<?>;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(String field) {
        Object v = values.get(field);
        return v == null ? Map.of() : Collections.unmodifiableMap((Map<String, String>) v);
    }

    /** A free-form object (FreeShape) as plain maps, lists and scalars; empty when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> free(String field) {
        Object v = values.get(field);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }
}
