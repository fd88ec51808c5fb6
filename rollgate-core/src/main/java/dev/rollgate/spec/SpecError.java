package dev.rollgate.spec;

/** One thing wrong with a spec: where (field path, line) and what would be valid. Line 0 means unknown. */
public record SpecError(String path, int line, String message) {

    @Override
    public String toString() {
        String where = path.isEmpty() ? "" : path + ": ";
        return where + message + (line > 0 ? " (line " + line + ")" : "");
    }
}
