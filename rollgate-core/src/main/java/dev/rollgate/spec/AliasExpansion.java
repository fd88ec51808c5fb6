package dev.rollgate.spec;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What a composed YAML document grows to once its aliases are expanded, counted without expanding
 * it. SnakeYAML's {@code maxAliasesForCollections} bounds how many aliases there are, not what they
 * multiply to: 25 levels of two aliases each fit in 2 KB and expand to 2^25 nodes, and 4,000
 * aliases of one 200 KB string to 800 MB. Everything that binds or walks a document expands it, so
 * the document is refused before that, with the line where the growth happens.
 */
public final class AliasExpansion {

    /** How many nodes aliases may add to a document: sharing a probe or an env block adds tens. */
    public static final long MAX_ADDED_NODES = 10_000;
    /** How many characters of scalars aliases may add to a document. */
    public static final long MAX_ADDED_CHARS = 1 << 20;

    /** Why a document was refused, at its 1-based line. */
    public record TooLarge(int line, String message) {}

    private record Size(long nodes, long chars) {}

    private final Map<Node, Size> sizes = new IdentityHashMap<>();
    private final Map<Node, Boolean> open = new IdentityHashMap<>();
    private final long maxNodes;
    private final long maxChars;

    private AliasExpansion(long maxNodes, long maxChars) {
        this.maxNodes = maxNodes;
        this.maxChars = maxChars;
    }

    /** Empty when {@code document} expands to at most what it holds plus the limits above. */
    public static Optional<TooLarge> check(Node document) {
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        long[] distinct = new long[2];
        count(document, seen, distinct);
        try {
            new AliasExpansion(distinct[0] + MAX_ADDED_NODES, distinct[1] + MAX_ADDED_CHARS).size(document);
            return Optional.empty();
        } catch (Refused r) {
            return Optional.of(r.tooLarge);
        }
    }

    /** The nodes and scalar characters written in the document, each node once however often it is aliased. */
    private static void count(Node node, Map<Node, Boolean> seen, long[] distinct) {
        if (seen.put(node, Boolean.TRUE) != null) return;
        distinct[0]++;
        switch (node) {
            case ScalarNode s -> distinct[1] += s.getValue().length();
            case SequenceNode s -> s.getValue().forEach(child -> count(child, seen, distinct));
            case MappingNode m -> m.getValue().forEach(t -> {
                count(t.getKeyNode(), seen, distinct);
                count(t.getValueNode(), seen, distinct);
            });
            default -> { }
        }
    }

    /** The expanded size of {@code node}, each shared node counted once and reused (linear in the document). */
    private Size size(Node node) {
        Size known = sizes.get(node);
        if (known != null) return known;
        if (open.put(node, Boolean.TRUE) != null) {
            throw new Refused(line(node), "an alias here refers to a collection that contains it, which would make the document endless");
        }
        long nodes = 1;
        long chars = 0;
        switch (node) {
            case ScalarNode s -> chars = s.getValue().length();
            case SequenceNode s -> {
                for (Node child : s.getValue()) {
                    Size c = size(child);
                    nodes += c.nodes();
                    chars += c.chars();
                }
            }
            case MappingNode m -> {
                for (NodeTuple t : m.getValue()) {
                    Size k = size(t.getKeyNode());
                    Size v = size(t.getValueNode());
                    nodes += k.nodes() + v.nodes();
                    chars += k.chars() + v.chars();
                }
            }
            default -> { }
        }
        // Checked at every node, so the sums stay far from overflow and the line is where the growth happens.
        if (nodes > maxNodes) {
            throw new Refused(line(node), "the aliases here expand to more than " + maxNodes + " nodes; aliases may add at most "
                    + MAX_ADDED_NODES + " nodes to a document");
        }
        if (chars > maxChars) {
            throw new Refused(line(node), "the aliases here expand to more than " + maxChars + " characters; aliases may add at most "
                    + MAX_ADDED_CHARS + " characters to a document");
        }
        open.remove(node);
        Size s = new Size(nodes, chars);
        sizes.put(node, s);
        return s;
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** Unwinds the walk at the first node over a limit. */
    private static final class Refused extends RuntimeException {
        final TooLarge tooLarge;

        Refused(int line, String message) {
            super(message, null, false, false);
            this.tooLarge = new TooLarge(line, message);
        }
    }
}
