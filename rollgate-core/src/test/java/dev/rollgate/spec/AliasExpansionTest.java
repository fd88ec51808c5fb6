package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.lint.Linter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.error.YAMLException;

/** YAML aliases may share a block; they may not multiply a small document into a huge one. */
class AliasExpansionTest {

    /** 2 KB of YAML: 25 levels of two aliases each (50 aliases, within SnakeYAML's limit), 2^25 leaves expanded. */
    static String bomb() {
        StringBuilder y = new StringBuilder(SpecParserTest.HEAD).append("""
                  template:
                    command: [./server]
                    readinessProbe: {tcpSocket: {}}
                    podTemplate:
                      a0: &a0 [x, x]
                """);
        for (int i = 1; i <= 24; i++) y.append("      a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        return y.toString();
    }

    @Test
    @Timeout(10)
    void theBillionLaughsIsRefusedWithTheLineWhereItGrows() {
        String yaml = bomb();
        assertThat(yaml.length()).isLessThan(2048);
        assertThat(SpecParserTest.errors(yaml)).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("the aliases here expand to more than " + (AliasExpansion.MAX_ADDED_NODES + 74) // 74 nodes are written
                    + " nodes; aliases may add at most 10000 nodes to a document");
            assertThat(e.line()).isEqualTo(21); // a12: the first level over the limit (2^13 leaves, 16,383 nodes)
        });
    }

    @Test
    @Timeout(10)
    void oneLongStringAliasedThousandsOfTimesIsRefused() {
        StringBuilder y = new StringBuilder(SpecParserTest.HEAD).append("  template:\n    command: [./server]\n    readinessProbe: {tcpSocket: {}}\n")
                .append("    env:\n      BIG: &big ").append("x".repeat(200_000)).append("\n    podTemplate:\n      copies: [");
        for (int i = 0; i < 4000; i++) y.append(i == 0 ? "" : ", ").append("*big");
        y.append("]\n");
        assertThat(SpecParserTest.errors(y.toString())).singleElement().satisfies(e -> {
            assertThat(e.message()).startsWith("the aliases here expand to more than").contains("characters");
            assertThat(e.line()).isEqualTo(11); // copies
        });
    }

    @Test
    void sharingABlockIsFine() throws Exception {
        Rollout r = SpecParser.parse(SpecParserTest.HEAD + """
                  template:
                    command: [./server]
                    readinessProbe: &probe {httpGet: {path: /ready}, periodSeconds: 2}
                    livenessProbe: *probe
                """).getFirst();
        assertThat(r.spec().template().livenessProbe()).isEqualTo(r.spec().template().readinessProbe());
    }

    @Test
    @Timeout(10)
    void theLinterRefusesTheBombToo() {
        assertThatThrownBy(() -> Linter.parse(bomb(), "bomb.yaml")).isInstanceOf(YAMLException.class)
                .hasMessageStartingWith("line 21: the aliases here expand to more than");
    }
}
