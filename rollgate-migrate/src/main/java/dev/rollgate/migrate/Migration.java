package dev.rollgate.migrate;

import java.math.BigInteger;
import java.nio.file.Path;

/**
 * One versioned migration file, {@code V<version>__<phase>_<description>.sql}: Flyway's naming
 * with the phase as the first word of the description, so {@code flyway info} shows it too.
 */
public record Migration(String version, Phase phase, String description, Path file, String sql) {

    /** The file's name, as events and findings show it. */
    public String name() {
        return file.getFileName().toString();
    }

    /** Versions compare as Flyway's do: dot- or underscore-separated numbers, part by part. */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("[._]"), y = b.split("[._]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            BigInteger p = i < x.length ? new BigInteger(x[i]) : BigInteger.ZERO;
            BigInteger q = i < y.length ? new BigInteger(y[i]) : BigInteger.ZERO;
            int c = p.compareTo(q);
            if (c != 0) return c;
        }
        return 0;
    }
}
