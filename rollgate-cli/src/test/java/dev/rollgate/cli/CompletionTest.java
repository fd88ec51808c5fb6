package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** The bash completion script that {@code rollgate generate-completion} prints, run by a real bash. */
class CompletionTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "rollgate da|dashboard",
            "rollgate rollout p|pause promote",
            "rollgate rollout promote --f|--full",
            "rollgate get -|--context --help --kubeconfig --namespace --output --request-timeout --state-dir --version -V -h -n -o",
    })
    void bashCompletesCommandsAndOptions(String line, String expected) throws Exception {
        Cli.Result script = Cli.rollgate("generate-completion");
        assertThat(script.exit()).isZero();
        Path file = dir.resolve("rollgate.bash");
        Files.writeString(file, script.out());
        String words = String.join(" ", line.split(" "));
        String probe = "source '" + file + "'; COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE='" + line
                + "'; COMP_POINT=${#COMP_LINE}; _complete_rollgate; printf '%s\\n' \"${COMPREPLY[@]}\" | sort";
        Process bash = new ProcessBuilder("bash", "-c", probe).redirectError(ProcessBuilder.Redirect.DISCARD).start(); // compopt complains outside a real prompt
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().filter(s -> !s.isBlank()).sorted().toList()).containsExactlyElementsOf(List.of(expected.split(" ")).stream().sorted().toList());
    }
}
