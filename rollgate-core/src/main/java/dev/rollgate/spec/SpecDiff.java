package dev.rollgate.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The fields that differ between two specs, as paths ({@code spec.template.env.GREETING}) with
 * the value before and after: what {@code rollgate diff} prints. Objects are compared key by key,
 * lists item by item (a list of plain values whose length changes, such as a command, whole); a
 * value that is not there is {@code (none)}.
 */
public final class SpecDiff {

    /** One field that differs; values as compact JSON, {@code (none)} where the field is absent. */
    public record Change(String path, String before, String after) {
        @Override
        public String toString() {
            return path + ": " + before + " -> " + after;
        }
    }

    static final String NONE = "(none)";

    private SpecDiff() {}

    /** The differences from {@code before} to {@code after}, both under the path {@code root}, in path order. */
    public static List<Change> of(String root, JsonNode before, JsonNode after) {
        List<Change> out = new ArrayList<>();
        walk(root, before == null ? MissingNode.getInstance() : before, after == null ? MissingNode.getInstance() : after, out);
        return out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (absent(a) && absent(b)) return;
        if (a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) walk(path + "." + k, a.path(k), b.path(k), out);
            return;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size() && scalars(a) && scalars(b)) { // an argv that grew or shrank reads best whole
                out.add(new Change(path, text(a), text(b)));
                return;
            }
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) walk(path + "[" + i + "]", a.path(i), b.path(i), out);
            return;
        }
        if (!a.equals(b)) out.add(new Change(path, text(a), text(b)));
    }

    private static boolean scalars(JsonNode array) {
        for (JsonNode n : array) if (n.isContainerNode()) return false;
        return true;
    }

    /** Missing and null are the same to a reader of the spec: the field is not set. */
    private static boolean absent(JsonNode n) {
        return n.isMissingNode() || n.isNull();
    }

    private static String text(JsonNode n) {
        return absent(n) ? NONE : n.toString();
    }
}
