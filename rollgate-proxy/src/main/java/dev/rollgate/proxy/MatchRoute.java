package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Sends requests that meet every condition to {@code revision}, ahead of weights: a header or
 * cookie whose value is equal to, starts with, or (as a whole) matches a regular expression.
 */
public record MatchRoute(List<When> when, String revision) {

    public MatchRoute {
        when = List.copyOf(when);
    }

    public enum Kind { HEADER, COOKIE }

    public enum Mode { EXACT, PREFIX, REGEX }

    /** One condition; {@code pattern} is compiled once, for REGEX. */
    public record When(Kind kind, String name, Mode mode, String value, Pattern pattern) {
        public When(Kind kind, String name, Mode mode, String value) {
            this(kind, name, mode, value, mode == Mode.REGEX ? Pattern.compile(value) : null);
        }

        /** Equal when kind, name, mode and value are: the compiled pattern follows from them. */
        @Override
        public boolean equals(Object o) {
            return o instanceof When w && w.kind == kind && w.name.equals(name) && w.mode == mode && w.value.equals(value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, name, mode, value);
        }

        boolean test(HttpHeaders headers) {
            String v = kind == Kind.HEADER ? headers.get(name) : Cookies.get(headers, name);
            if (v == null) return false;
            return switch (mode) {
                case EXACT -> v.equals(value);
                case PREFIX -> v.startsWith(value);
                case REGEX -> pattern.matcher(v).matches();
            };
        }
    }

    public static MatchRoute header(String name, String value, String revision) {
        return new MatchRoute(List.of(new When(Kind.HEADER, name, Mode.EXACT, value)), revision);
    }

    public static MatchRoute cookie(String name, String value, String revision) {
        return new MatchRoute(List.of(new When(Kind.COOKIE, name, Mode.EXACT, value)), revision);
    }

    boolean matches(HttpHeaders headers) {
        for (When w : when) {
            if (!w.test(headers)) return false;
        }
        return !when.isEmpty();
    }
}
