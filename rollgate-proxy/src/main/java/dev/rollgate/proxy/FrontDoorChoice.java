package dev.rollgate.proxy;

import dev.rollgate.proxy.frontdoor.FrontDoorRoutes;
import dev.rollgate.proxy.frontdoor.RequestTarget;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The front door's choice for one request, made on its normalised target: 400 for a target that cannot
 * be normalised, 421 for a host the TLS connection was not made for, the ACME challenge's answer, 404 (with
 * no detail) for a host or path no service takes, 308 to https, or the service whose proxy takes it, with the
 * path it sees (without the route's prefix when the route strips it) and the HSTS max-age of its answers.
 */
sealed interface FrontDoorChoice {

    /** The request's target from here on: normalised, and for a pass the path the service sees. */
    String target();

    /** Answered by the front door: plain text ({@code location} set: a redirect without a body); {@code logged} in its access log. */
    record Answer(HttpResponseStatus status, String text, String location, boolean logged, String target) implements FrontDoorChoice {}

    /** Passed on to {@code service}'s proxy. */
    record Pass(String service, String target, long hstsSeconds) implements FrontDoorChoice {}

    /** What the choice reads of the front door. */
    interface Door {

        FrontDoorRoutes routes();

        /** Whether {@code service} has a proxy to pass requests to. */
        boolean serves(String service);

        /** The ACME key authorisation for {@code token}, or null. */
        String challenge(String token);

        /** ":8443", or "" when HTTPS is on 443 (or not on). */
        String httpsPortSuffix();
    }

    /** {@code sni}: the name the TLS connection was made for (null: none, or plain HTTP). */
    static FrontDoorChoice of(String target, String host, String sni, boolean tls, Door door) {
        String uri;
        switch (RequestTarget.normalise(target)) {
            case RequestTarget.Refused refused -> {
                return new Answer(HttpResponseStatus.BAD_REQUEST, refused.reason(), null, true, target);
            }
            case RequestTarget.Normalised normalised -> uri = normalised.uri();
        }
        if (sni != null && host != null && !sni.equalsIgnoreCase(FrontDoorRoutes.hostOf(host))) {
            // The connection was made (and its certificate chosen) for another host: the client must open one for this host.
            return new Answer(HttpResponseStatus.MISDIRECTED_REQUEST, "this connection is for " + sni + ", not " + FrontDoorRoutes.hostOf(host), null, true, uri);
        }
        if (!tls && uri.startsWith(FrontDoor.ACME_CHALLENGE)) {
            String answer = door.challenge(uri.substring(FrontDoor.ACME_CHALLENGE.length()));
            return answer == null ? new Answer(HttpResponseStatus.NOT_FOUND, "not found", null, false, uri) : new Answer(HttpResponseStatus.OK, answer, null, false, uri);
        }
        var match = door.routes().match(host, uri);
        if (match.isEmpty() || !door.serves(match.get().route().service())) return new Answer(HttpResponseStatus.NOT_FOUND, "not found", null, true, uri);
        var route = match.get().route();
        if (!tls && route.httpsRedirect()) {
            return new Answer(HttpResponseStatus.PERMANENT_REDIRECT, null, "https://" + FrontDoorRoutes.hostOf(host) + door.httpsPortSuffix() + uri, true, uri);
        }
        return new Pass(route.service(), match.get().path(), tls ? route.hstsSeconds() : 0);
    }
}
