package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seed 001's story on a real PostgreSQL, once end to end: the failure without the gate, the same
 * change through Rollgate (expand applied, contract held, v2 aborted, v1 unharmed), and a column
 * rename in three deploys under load with the contract released only after the window and the
 * last older session, then an undo to before it refused.
 */
class MigrationsDemoTest {

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theSeedsFailureThenTheSameChangeGatedThenARenameInThreeDeploysLoseNoRequest() {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("demo", "migrations");
        String text = out.toString();
        assertThat(text).containsPattern("v1 answered [1-9][0-9]* of [0-9]+ requests with a non-2xx; now: HTTP 500 .*does not exist");
        assertThat(text).containsPattern("3 +V3__contract_drop_name.sql +contract +held +- +the rollout of the current revision has not completed");
        assertThat(text).contains("V4__contract_drop_name.sql wait(s): the rollout of the current revision has not completed");
        assertThat(text).containsPattern("MigrationsHeld +V4__contract_drop_name.sql wait\\(s\\): .*the rollback window \\(contractAfter 5s\\) ends in");
        assertThat(text).contains("$ rollgate migrate status users").containsPattern("4 +V4__contract_drop_name.sql +contract +applied");
        assertThat(text).contains("refused: revision 3 was deployed before the contract migration V4__contract_drop_name.sql ran");
        assertThat(text).contains(", 0 left running");
        assertThat(text.lines().reduce((a, b) -> b).orElseThrow()).matches("demo: PASS requests=[1-9][0-9]* non-2xx=0 socket-errors=0"
                + " seed-failure=shown contract=held-then-released undo-after-contract=refused");
        assertThat(exit).isZero();
    }
}
