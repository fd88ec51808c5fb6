package dev.rollgate.proxy;

/** Sends requests whose header (or cookie) {@code name} equals {@code value} to {@code revision}, ahead of weights. */
public record MatchRoute(Kind kind, String name, String value, String revision) {

    public enum Kind { HEADER, COOKIE }

    public static MatchRoute header(String name, String value, String revision) {
        return new MatchRoute(Kind.HEADER, name, value, revision);
    }

    public static MatchRoute cookie(String name, String value, String revision) {
        return new MatchRoute(Kind.COOKIE, name, value, revision);
    }
}
