package dev.rollgate.spec;

import java.io.StringReader;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The documents of a YAML text as SnakeYAML's node trees, one at a time, made by its composer directly: what
 * {@code new Yaml(options).composeAll(text)} does without making a constructor first, whose type descriptions
 * open a {@code System.Logger} (the JDK then searches the class path for a logging backend, 20 ms of a short
 * command). Nothing is constructed from the nodes here.
 */
public final class YamlDocuments {

    private YamlDocuments() {}

    public static Iterable<Node> of(String text, LoaderOptions options) {
        Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options);
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return composer.checkNode();
            }

            @Override
            public Node next() {
                if (!composer.checkNode()) throw new NoSuchElementException();
                return composer.getNode();
            }
        };
    }
}
