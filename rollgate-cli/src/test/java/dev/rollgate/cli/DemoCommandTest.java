package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's main command, run once end to end. */
class DemoCommandTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void demoPassesOnRealProcesses() {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("demo");
        String text = out.toString();
        assertThat(text).contains("3/3 replicas ready", "Liveness probe failed 2 times in a row", "back-off 10s restarting failed replica");
        assertThat(text).contains("Drained");
        assertThat(text.lines().reduce((a, b) -> b).orElseThrow())
                .matches("demo: PASS requests=[1-9][0-9]* non-2xx=0 socket-errors=0 liveness-restart=ok graceful-stop=ok leftover-processes=0");
        assertThat(exit).isZero();
    }
}
