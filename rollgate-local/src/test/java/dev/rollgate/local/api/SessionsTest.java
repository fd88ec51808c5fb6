package dev.rollgate.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Dashboard sessions: found by their cookie, with their own CSRF token, until they expire or log out. */
class SessionsTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void aSessionIsFoundByItsCookieUntilItExpires() {
        Sessions sessions = new Sessions(clock);
        Sessions.Session s = sessions.create();
        assertThat(s.id()).isNotEqualTo(s.csrf()).hasSizeGreaterThan(40);
        assertThat(sessions.find("theme=dark; " + Sessions.COOKIE + "=" + s.id())).contains(s);
        assertThat(sessions.find(Sessions.COOKIE + "=" + s.id() + "x")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(Sessions.csrfMatches(s, s.csrf())).isTrue();
        assertThat(Sessions.csrfMatches(s, s.id())).isFalse();
        assertThat(Sessions.csrfMatches(s, null)).isFalse();

        now.set(now.get().plus(Sessions.LIFETIME).plusSeconds(1));
        assertThat(sessions.find(Sessions.COOKIE + "=" + s.id())).as("expired").isEmpty();
    }

    @Test
    void logoutEndsASessionAndTheCookieSaysHowItMayTravel() {
        Sessions sessions = new Sessions(clock);
        Sessions.Session s = sessions.create();
        assertThat(Sessions.setCookie(s)).contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=" + Duration.ofHours(12).toSeconds());
        sessions.remove(s);
        assertThat(sessions.find(Sessions.COOKIE + "=" + s.id())).isEmpty();
        assertThat(Sessions.clearCookie()).contains("Max-Age=0");
    }
}
