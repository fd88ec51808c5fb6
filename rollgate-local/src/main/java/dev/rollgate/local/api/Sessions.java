package dev.rollgate.local.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's browser sessions: a login with the daemon's token gets a random session id
 * (sent back as an HttpOnly, SameSite=Strict cookie) and a CSRF token that every state-changing
 * request must repeat in a header. Sessions live in the daemon's memory: a new daemon asks for
 * the token again, which is all they protect.
 */
public final class Sessions {

    public static final String COOKIE = "rollgate_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 1000;

    /** One logged-in browser. */
    record Session(String id, String csrf, Instant expires) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    Session create() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.expires().isBefore(now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparing(Session::expires)).ifPresent(s -> sessions.remove(s.id()));
        }
        Session s = new Session(randomId(), randomId(), now.plus(LIFETIME));
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session named by the request's Cookie header, if any. */
    Optional<Session> find(String cookieHeader) {
        String id = cookie(cookieHeader, COOKIE);
        if (id == null) return Optional.empty();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        if (s.expires().isBefore(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void remove(Session s) {
        sessions.remove(s.id());
    }

    static boolean csrfMatches(Session s, String header) {
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                s.csrf().getBytes(StandardCharsets.UTF_8));
    }

    static String setCookie(Session s) {
        return COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + LIFETIME.toSeconds();
    }

    static String clearCookie() {
        return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }

    /** The value of cookie {@code name} in a Cookie header, or null. */
    static String cookie(String header, String name) {
        if (header == null) return null;
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) return p.substring(name.length() + 1);
        }
        return null;
    }

    private String randomId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
