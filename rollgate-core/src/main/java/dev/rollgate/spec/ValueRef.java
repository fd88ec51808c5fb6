package dev.rollgate.spec;

import java.util.List;

/**
 * A reference to a versioned secret or ConfigMap. The file names it; apply pins {@code version} (as it pins
 * an image's digest), so the revision, its template hash and a rollback all name exact values, while the
 * values themselves never enter a template.
 *
 * @param version         the pinned version; 0 until apply pins it
 * @param rolloutOnChange a new version of the source rolls the service out (true), or waits for its next revision
 */
public record ValueRef(Kind kind, String name, int version, boolean rolloutOnChange) {

    /** What the reference points at, with the word Kubernetes uses for it. */
    public enum Kind {
        SECRET("secret"), CONFIG_MAP("configMap");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** {@code secret/db}, {@code configMap/app}: the source, whatever version, as pins and watches key it. */
    public static String id(Kind kind, String name) {
        return kind.word() + "/" + name;
    }

    public String id() {
        return id(kind, name);
    }

    public ValueRef withVersion(int v) {
        return new ValueRef(kind, name, v, rolloutOnChange);
    }

    /** A revision's sources in one table cell: {@code secret db v3, configMap app v2}; null when it reads none. */
    public static String summary(List<ValueRef> refs) {
        if (refs.isEmpty()) return null;
        return String.join(", ", refs.stream().map(r -> r.kind().word() + " " + r.name() + (r.version() > 0 ? " v" + r.version() : "")).toList());
    }

    /** How every view shows it: {@code secret db (version 3)}; a value never. */
    @Override
    public String toString() {
        return kind.word() + " " + name + (version > 0 ? " (version " + version + ")" : "");
    }
}
