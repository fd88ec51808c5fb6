package dev.rollgate.spec;

import static org.quicktheories.QuickTheory.qt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** Random and mutated YAML never makes the parser throw anything but its own error type. */
class SpecParserPropertiesTest {

    static final List<String> TOKENS = List.of(
            ":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!binary ", "!custom ", "? ", "|", ">", "#", "'", "\"",
            "\n", "\n  ", "\t", "%YAML 1.2\n", "---\n", "...\n", "~", "null", "true", "0x1F", "1e400",
            "99999999999999999999", "-0", "25%", "250%", "30s", "<<: *a", "\\u0000", "\u2028", "é", "replicas", "spec",
            "template", "command", "httpGet", "tcpSocket", "exec", "readinessProbe", "maxSurge");

    static String example() {
        try {
            return Files.readString(Path.of("../examples/specs/web.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void parseQuietly(String text) {
        try {
            SpecParser.parse(text);
        } catch (InvalidSpecException expected) {
            // the only outcome besides success that the contract allows
        }
    }

    @Test
    void mutatedExampleSpecs() {
        String base = example();
        Gen<String> mutated = SourceDSL.lists().of(SourceDSL.integers().between(0, Integer.MAX_VALUE - 1))
                .ofSizeBetween(1, 8)
                .map(seeds -> {
                    StringBuilder b = new StringBuilder(base);
                    for (int seed : seeds) {
                        int at = seed % (b.length() + 1);
                        switch (seed % 5) {
                            case 0 -> b.insert(at, TOKENS.get((seed / 5) % TOKENS.size()));
                            case 1 -> b.delete(at, Math.min(b.length(), at + 1 + seed % 7));
                            case 2 -> {
                                if (at < b.length()) b.setCharAt(at, (char) (32 + seed % 95));
                            }
                            case 3 -> {
                                int end = b.indexOf("\n", at);
                                if (end > at) b.insert(end + 1, b.substring(at, end + 1));
                            }
                            default -> b.insert(at, (char) (seed % 0x3000));
                        }
                    }
                    return b.toString();
                });
        qt().withExamples(3000).forAll(mutated).checkAssert(SpecParserPropertiesTest::parseQuietly);
    }

    @Test
    void randomTokenSoup() {
        Gen<String> soup = SourceDSL.lists().of(SourceDSL.integers().between(0, TOKENS.size() - 1))
                .ofSizeBetween(0, 60)
                .map(ix -> String.join("", ix.stream().map(TOKENS::get).toList()));
        qt().withExamples(3000).forAll(soup).checkAssert(SpecParserPropertiesTest::parseQuietly);
    }

    @Test
    void randomText() {
        qt().withExamples(2000).forAll(SourceDSL.strings().allPossible().ofLengthBetween(0, 200))
                .checkAssert(SpecParserPropertiesTest::parseQuietly);
    }
}
