package dev.rollgate.migrate;

import dev.rollgate.lint.Finding;
import dev.rollgate.lint.Rule;
import dev.rollgate.migrate.SqlStatements.Statement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL safety checks that squawk and strong_migrations make, by phase. In an expand migration
 * the old version of the code keeps running against the new schema (and is what a rollback goes
 * back to), so anything it cannot live with is an error; a contract migration may drop and rename,
 * that is its purpose. Locking hazards are reported in both.
 */
public final class MigrationLint {

    private static final String ID = "(?:\"[^\"]+\"|[a-z_][a-z0-9_$]*)(?:\\.(?:\"[^\"]+\"|[a-z_][a-z0-9_$]*))?";
    private static final Pattern ALTER_TABLE = Pattern.compile("^alter table (?:if exists )?(?:only )?(" + ID + ") (.*)$");
    private static final Pattern CREATE_TABLE = Pattern.compile("^create (?:unlogged |temp |temporary )?table (?:if not exists )?(" + ID + ")");
    private static final Pattern CREATE_INDEX = Pattern.compile("^create (?:unique )?index (concurrently )?(?:if not exists )?(?:" + ID + " )?on (?:only )?(" + ID + ")");
    private static final Pattern DROP_TABLE = Pattern.compile("^drop table ");
    private static final Pattern RENAME_TABLE = Pattern.compile("^rename to ");
    private static final Pattern RENAME_COLUMN = Pattern.compile("^rename (?:column )?(" + ID + ") to ");
    private static final Pattern VOLATILE = Pattern.compile("\\b(random|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v[14]|nextval)\\s*\\(");
    private static final Pattern STRONG_LOCK = Pattern.compile("^(alter table|create (?:unique )?index (?!concurrently)|drop table|drop index (?!concurrently)|lock |truncate |alter index|reindex |cluster |vacuum full)");

    private MigrationLint() {}

    /** The findings of every migration under {@code inputs} (.sql files, or folders holding them), and what could not be read. */
    public record Result(List<Finding> findings, List<String> problems) {}

    public static Result lint(List<Path> inputs) {
        List<Finding> findings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<Path> folders = new TreeSet<>();
        Map<Path, Set<String>> only = new HashMap<>();
        for (Path in : inputs) {
            if (Files.isRegularFile(in) && in.toString().endsWith(".sql")) {
                Path folder = in.toAbsolutePath().getParent();
                folders.add(folder);
                only.computeIfAbsent(folder, f -> new HashSet<>()).add(in.getFileName().toString());
            } else if (Files.isDirectory(in)) {
                try (var walk = Files.walk(in)) {
                    walk.filter(p -> p.toString().endsWith(".sql")).map(p -> p.toAbsolutePath().getParent()).forEach(folders::add);
                } catch (IOException e) {
                    problems.add(in + ": cannot read the directory: " + e.getMessage());
                }
            }
        }
        for (Path folder : folders) {
            MigrationFolder.Contents c = MigrationFolder.read(folder);
            Set<String> names = only.get(folder);
            c.errors().stream().filter(e -> names == null || names.stream().anyMatch(e::contains)).forEach(problems::add);
            for (Migration m : c.migrations()) {
                if (names == null || names.contains(m.name())) findings.addAll(check(m));
            }
        }
        return new Result(findings, problems);
    }

    /** The findings of one migration, with the line of the statement each is about. */
    public static List<Finding> check(Migration m) {
        List<Finding> out = new ArrayList<>();
        Set<String> createdHere = new HashSet<>();
        boolean lockTimeout = false;
        String validated = "";
        for (Statement st : SqlStatements.split(m.sql())) {
            String s = st.text().toLowerCase(Locale.ROOT);
            if (s.matches("^set (?:local )?lock_timeout.*")) lockTimeout = true;
            Matcher created = CREATE_TABLE.matcher(s);
            if (created.find()) createdHere.add(created.group(1));
            if (!lockTimeout && STRONG_LOCK.matcher(s).find()) {
                Matcher alter = ALTER_TABLE.matcher(s);
                Matcher index = CREATE_INDEX.matcher(s);
                String table = alter.matches() ? alter.group(1) : index.find() ? index.group(2) : null;
                if (table == null || !createdHere.contains(table)) {
                    out.add(finding(m, "lock-timeout-missing", st, "no lock_timeout is set before this statement"));
                    lockTimeout = true; // once per file is enough
                }
            }
            if (DROP_TABLE.matcher(s).find()) {
                if (m.phase() == Phase.EXPAND) out.add(finding(m, "drop-table", st, "an expand migration drops a table"));
                continue;
            }
            Matcher index = CREATE_INDEX.matcher(s);
            if (index.find()) {
                if (index.group(1) == null && !createdHere.contains(index.group(2))) {
                    out.add(finding(m, "create-index-not-concurrently", st, "the index on " + index.group(2) + " is built without CONCURRENTLY"));
                }
                continue;
            }
            Matcher alter = ALTER_TABLE.matcher(s);
            if (!alter.matches()) continue;
            String table = alter.group(1);
            boolean newTable = createdHere.contains(table);
            for (String action : actions(alter.group(2))) {
                if (action.contains("validate constraint")) validated += " " + action;
                check(m, st, table, newTable, action, validated, out);
            }
        }
        return out;
    }

    private static void check(Migration m, Statement st, String table, boolean newTable, String a, String validated, List<Finding> out) {
        boolean expand = m.phase() == Phase.EXPAND;
        if (RENAME_TABLE.matcher(a).find()) {
            if (expand) out.add(finding(m, "rename-table", st, "an expand migration renames table " + table));
            return;
        }
        Matcher rename = RENAME_COLUMN.matcher(a);
        if (rename.find() && !a.startsWith("rename constraint")) {
            if (expand) out.add(finding(m, "rename-column", st, "an expand migration renames column " + rename.group(1) + " of " + table));
            return;
        }
        if (a.startsWith("drop column") || a.startsWith("drop ") && !a.startsWith("drop constraint") && !a.startsWith("drop default")
                && !a.startsWith("drop not null")) {
            if (expand) out.add(finding(m, "drop-column", st, "an expand migration drops a column of " + table));
            return;
        }
        if (a.startsWith("alter column") || a.startsWith("alter ")) {
            String column = a.replaceFirst("^alter (?:column )?", "").split(" ")[0];
            if (a.matches(".* (set data )?type .*") && expand) {
                out.add(finding(m, "change-column-type", st, "an expand migration changes the type of " + table + "." + column));
            } else if (a.contains(" set not null") && expand && !newTable && !validated.contains("validate constraint")) {
                out.add(finding(m, "set-not-null", st, "SET NOT NULL on " + table + "." + column + " without a validated CHECK constraint"));
            }
            return;
        }
        if (a.startsWith("add column") || a.startsWith("add ") && !a.startsWith("add constraint") && !a.matches("^add (foreign key|check|primary key|unique|exclude).*")) {
            if (newTable) return;
            if (VOLATILE.matcher(a).find() && a.contains(" default ")) {
                out.add(finding(m, "add-column-volatile-default", st, "a column of " + table + " is added with a volatile DEFAULT"));
            }
            if (expand && a.contains(" not null") && !a.contains(" default ")) {
                out.add(finding(m, "add-column-not-null", st, "a NOT NULL column without a DEFAULT is added to " + table));
            }
            return;
        }
        boolean constraint = a.startsWith("add constraint") || a.matches("^add (foreign key|check) .*");
        if (constraint && (a.contains(" foreign key") || a.contains(" references ") || a.contains(" check ") || a.contains(" check("))
                && !a.endsWith(" not valid") && !newTable) {
            out.add(finding(m, "constraint-not-valid", st, "a constraint is added to " + table + " without NOT VALID"));
        }
    }

    /** The comma-separated actions of one ALTER TABLE, commas inside parentheses left alone. */
    private static List<String> actions(String body) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                out.add(body.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(body.substring(start).strip());
        return out;
    }

    private static Finding finding(Migration m, String id, Statement st, String what) {
        Rule r = Rule.get(id);
        String excerpt = st.text().length() > 100 ? st.text().substring(0, 97) + "..." : st.text();
        return new Finding(id, r.severity(), "Migration", m.name(), m.phase().label(), m.file().toString(), "", st.line(),
                what + " (" + excerpt + "): " + r.why(), r.fix());
    }
}
