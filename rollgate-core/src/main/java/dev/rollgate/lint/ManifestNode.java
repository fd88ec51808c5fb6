package dev.rollgate.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A read-only view of a YAML node that remembers its field path and line, and answers "missing"
 * instead of failing for absent fields, so checks read manifests of any shape without ceremony.
 */
public final class ManifestNode {

    private final Node node;   // null when missing
    private final String path;
    private final int line;    // the node's line, or the nearest present parent's

    ManifestNode(Node node, String path, int line) {
        this.node = node;
        this.path = path;
        this.line = node == null || node.getStartMark() == null ? line : node.getStartMark().getLine() + 1;
    }

    static ManifestNode root(Node node) {
        return new ManifestNode(node, "", 1);
    }

    public boolean exists() {
        return node != null && !(node instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
    }

    public String path() {
        return path;
    }

    public int line() {
        return line;
    }

    public ManifestNode get(String key) {
        String p = path.isEmpty() ? key : path + "." + key;
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return new ManifestNode(t.getValueNode(), p, line);
            }
        }
        return new ManifestNode(null, p, line);
    }

    /** {@code get("a", "b")} is {@code get("a").get("b")}. */
    public ManifestNode at(String... keys) {
        ManifestNode y = this;
        for (String k : keys) y = y.get(k);
        return y;
    }

    public List<ManifestNode> list() {
        List<ManifestNode> out = new ArrayList<>();
        if (node instanceof SequenceNode s) {
            for (int i = 0; i < s.getValue().size(); i++) out.add(new ManifestNode(s.getValue().get(i), path + "[" + i + "]", line));
        }
        return out;
    }

    public String text() {
        return node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) ? s.getValue() : null;
    }

    public String text(String fallback) {
        String t = text();
        return t == null ? fallback : t;
    }

    /** A whole number, or null when missing or not a number. */
    public Integer integer() {
        String t = text();
        if (t == null || !t.matches("-?\\d{1,9}")) return null;
        return Integer.parseInt(t);
    }

    public int integer(int fallback) {
        Integer i = integer();
        return i == null ? fallback : i;
    }

    public Map<String, String> stringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v) out.put(k.getValue(), v.getValue());
            }
        }
        return out;
    }

    /** The node as plain data (maps, lists, strings), for comparing two subtrees. */
    public Object data() {
        return data(node, 0);
    }

    private static Object data(Node n, int depth) {
        if (n == null || depth > 40) return null;
        return switch (n) {
            case ScalarNode s -> s.getTag().equals(Tag.NULL) ? null : s.getValue();
            case SequenceNode s -> s.getValue().stream().map(x -> data(x, depth + 1)).toList();
            case MappingNode m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k) out.put(k.getValue(), data(t.getValueNode(), depth + 1));
                }
                yield out;
            }
            default -> null;
        };
    }

    public boolean sameAs(ManifestNode other) {
        return exists() && other.exists() && Objects.equals(data(), other.data());
    }
}
