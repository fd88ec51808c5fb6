package dev.rollgate.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvExpansionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "--port=$(PORT), --port=8081",
            "$(PORT)$(NAME), 8081web",
            "$(MISSING), $(MISSING)",
            "$$(PORT), $(PORT)",
            "$(PORT, $(PORT",
            "cost $5, cost $5"})
    void expandsKnownNamesAsKubernetes(String in, String out) {
        assertThat(EnvExpansion.expand(in, Map.of("PORT", "8081", "NAME", "web"))).isEqualTo(out);
    }
}
