package dev.rollgate.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service's migrations folder, read and checked: every {@code .sql} file must be named
 * {@code V<version>__expand_<what>.sql} or {@code V<version>__contract_<what>.sql}. The phase is
 * declared by the name only; a header comment that tries to declare it is an error, so that
 * nobody reads one convention while Rollgate follows the other.
 */
public final class MigrationFolder {

    private static final Pattern NAME = Pattern.compile("V(\\d+(?:[._]\\d+)*)__([A-Za-z0-9]+)_([A-Za-z0-9_]+)\\.sql");
    private static final Pattern PHASE_COMMENT = Pattern.compile("(?im)^\\s*--\\s*(rollgate|phase)\\b.*$");

    /** The migrations in version order, and what is wrong with the folder (each naming its file). */
    public record Contents(List<Migration> migrations, List<String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private MigrationFolder() {}

    public static Contents read(Path dir) {
        List<String> errors = new ArrayList<>();
        List<Migration> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return new Contents(List.of(), List.of(dir + ": no such directory (spec.database.migrations)"));
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            return new Contents(List.of(), List.of(dir + ": cannot read the directory: " + e.getMessage()));
        }
        Map<String, Path> versions = new HashMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                errors.add(f + ": not a migration name: use V<version>__expand_<what>.sql or V<version>__contract_<what>.sql"
                        + (name.startsWith("R__") ? " (repeatable migrations are not run by Rollgate)" : ""));
                continue;
            }
            Phase phase = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "expand" -> Phase.EXPAND;
                case "contract" -> Phase.CONTRACT;
                default -> null;
            };
            if (phase == null) {
                errors.add(f + ": the description must start with its phase, expand_ or contract_ (got " + m.group(2) + "_)");
                continue;
            }
            String sql;
            try {
                sql = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                errors.add(f + ": cannot read: " + e.getMessage());
                continue;
            }
            Matcher comment = PHASE_COMMENT.matcher(sql);
            if (comment.find()) {
                int line = (int) sql.substring(0, comment.start()).chars().filter(c -> c == '\n').count() + 1;
                errors.add(f + ":" + line + ": the phase is declared by the file name (" + phase.label()
                        + "), not by a comment: remove '" + comment.group().strip() + "'");
                continue;
            }
            String version = m.group(1).replace('_', '.');
            Path earlier = versions.putIfAbsent(version.replaceAll("(\\.0+)+$", ""), f);   // 1 and 1.0 are one version, as in Flyway
            if (earlier != null) {
                errors.add(f + ": version " + version + " is also " + earlier.getFileName());
                continue;
            }
            out.add(new Migration(version, phase, m.group(3).replace('_', ' '), f, sql));
        }
        out.sort(Comparator.comparing(Migration::version, Migration::compareVersions));
        return new Contents(List.copyOf(out), List.copyOf(errors));
    }
}
