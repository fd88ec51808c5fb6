package dev.rollgate.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rollgate.lint.Finding;
import dev.rollgate.lint.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each unsafe statement is found with its line; the safe way of doing the same passes; a contract may drop. */
class MigrationLintTest {

    private static final Path UNSAFE = Path.of("src/test/resources/unsafe");

    private static Migration migration(String name) {
        return MigrationFolder.read(UNSAFE).migrations().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyUnsafeStatementOfAnExpandMigrationIsFoundOnItsLine() {
        List<Finding> findings = MigrationLint.check(migration("V2__expand_everything_wrong.sql"));
        assertThat(findings).extracting(Finding::line, Finding::check, Finding::severity).containsExactly(
                tuple(4, "drop-column", Severity.error),
                tuple(5, "rename-column", Severity.error),
                tuple(6, "change-column-type", Severity.error),
                tuple(7, "set-not-null", Severity.error),
                tuple(8, "add-column-volatile-default", Severity.warning),
                tuple(9, "add-column-not-null", Severity.error),
                tuple(10, "create-index-not-concurrently", Severity.warning),
                tuple(11, "constraint-not-valid", Severity.warning),
                tuple(12, "drop-table", Severity.error),
                tuple(13, "rename-table", Severity.error));
        assertThat(findings.getFirst().message()).startsWith("an expand migration drops a column of users (ALTER TABLE users DROP COLUMN nickname)");
        assertThat(findings.getFirst().fix()).contains("contract migration");
        assertThat(findings.getFirst().namespace()).isEqualTo("expand");
    }

    @Test
    void theSafeWayOfDoingTheSameHasNoFinding() {
        assertThat(MigrationLint.check(migration("V3__expand_all_safe.sql"))).isEmpty();
    }

    @Test
    void aContractMayDropButIsToldAboutItsLockTimeout() {
        List<Finding> findings = MigrationLint.check(migration("V4__contract_drop_name.sql"));
        assertThat(findings).extracting(Finding::line, Finding::check, Finding::severity)
                .containsExactly(tuple(1, "lock-timeout-missing", Severity.info));
    }

    @Test
    void statementsAreCutAtSemicolonsOutsideQuotesCommentsAndDollarBodies() {
        var st = SqlStatements.split("""
                -- a comment; with a semicolon
                SELECT 'a;b', "we;ird" FROM t; /* c;
                d */ INSERT INTO t VALUES ($x$ ; $x$);
                DO $$ BEGIN PERFORM 1; END $$;
                """);
        assertThat(st).extracting(SqlStatements.Statement::line, SqlStatements.Statement::text).containsExactly(
                tuple(2, "SELECT 'a;b', \"we;ird\" FROM t"),
                tuple(3, "INSERT INTO t VALUES ($x$ ; $x$)"),
                tuple(4, "DO $$ BEGIN PERFORM 1; END $$"));
    }

    @Test
    void namesDeclareThePhaseAndACommentThatTriesToIsAnError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("V1__expand_users.sql"), "CREATE TABLE users (id int);");
        Files.writeString(dir.resolve("V2__add_email.sql"), "ALTER TABLE users ADD COLUMN email text;");
        Files.writeString(dir.resolve("V3__contract_drop.sql"), "-- rollgate: contract\nALTER TABLE users DROP COLUMN x;");
        Files.writeString(dir.resolve("add_phone.sql"), "ALTER TABLE users ADD COLUMN phone text;");
        Files.writeString(dir.resolve("V1_0__expand_again.sql"), "SELECT 1;");
        var contents = MigrationFolder.read(dir);
        assertThat(contents.migrations()).extracting(Migration::version, Migration::phase).containsExactly(tuple("1.0", Phase.EXPAND));
        assertThat(contents.errors()).containsExactlyInAnyOrder(
                dir.resolve("V1__expand_users.sql") + ": version 1 is also V1_0__expand_again.sql",
                dir.resolve("V2__add_email.sql") + ": the description must start with its phase, expand_ or contract_ (got add_)",
                dir.resolve("V3__contract_drop.sql") + ":1: the phase is declared by the file name (contract), not by a comment: remove '-- rollgate: contract'",
                dir.resolve("add_phone.sql") + ": not a migration name: use V<version>__expand_<what>.sql or V<version>__contract_<what>.sql");
    }
}
