package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.proxy.frontdoor.FrontDoorRoutes;
import dev.rollgate.proxy.frontdoor.FrontDoorRoutes.Route;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The front door's choice for one request, each case of it, without a socket. */
class FrontDoorChoiceTest {

    /** shop.example: / to shop (https redirect, HSTS a year); api.example/v1 to api, prefix stripped; gone.example to a service with no proxy. */
    private static final FrontDoorChoice.Door DOOR = new FrontDoorChoice.Door() {
        @Override
        public FrontDoorRoutes routes() {
            return new FrontDoorRoutes(List.of(new Route("shop", List.of("shop.example"), "/", false, true, 31_536_000),
                    new Route("api", List.of("api.example"), "/v1", true, false, 0),
                    new Route("gone", List.of("gone.example"), "/", false, false, 0)));
        }

        @Override
        public boolean serves(String service) {
            return Set.of("shop", "api").contains(service);
        }

        @Override
        public String challenge(String token) {
            return Map.of("tok", "tok.key").get(token);
        }

        @Override
        public String httpsPortSuffix() {
            return ":8443";
        }
    };

    private static FrontDoorChoice plain(String target, String host) {
        return FrontDoorChoice.of(target, host, null, false, DOOR);
    }

    @Test
    void aRoutedRequestPassesWithThePathItsServiceSeesAndHstsOnlyOverTls() {
        assertThat(FrontDoorChoice.of("/cart?x=1", "shop.example", "shop.example", true, DOOR))
                .isEqualTo(new FrontDoorChoice.Pass("shop", "/cart?x=1", 31_536_000));
        assertThat(plain("/v1/orders", "api.example:80")).as("the prefix stripped, the port ignored").isEqualTo(new FrontDoorChoice.Pass("api", "/orders", 0));
        assertThat(plain("/v1/a/../orders", "api.example")).as("normalised first").isEqualTo(new FrontDoorChoice.Pass("api", "/orders", 0));
    }

    @Test
    void plainHttpToAServiceThatWantsHttpsIsRedirectedToTheSameUrl() {
        assertThat(plain("/cart?x=1", "shop.example")).isEqualTo(new FrontDoorChoice.Answer(HttpResponseStatus.PERMANENT_REDIRECT, null,
                "https://shop.example:8443/cart?x=1", true, "/cart?x=1"));
    }

    @Test
    void whatNoServiceTakesIsANotFoundWithNoDetail() {
        var notFound = new FrontDoorChoice.Answer(HttpResponseStatus.NOT_FOUND, "not found", null, true, "/");
        assertThat(plain("/", "unknown.example")).isEqualTo(notFound);
        assertThat(plain("/", "gone.example")).as("a route whose service has no proxy").isEqualTo(notFound);
        assertThat(plain("/v2/orders", "api.example")).isEqualTo(new FrontDoorChoice.Answer(HttpResponseStatus.NOT_FOUND, "not found", null, true, "/v2/orders"));
    }

    @Test
    void aTargetThatCannotBeNormalisedIsABadRequestThatSaysWhy() {
        var c = (FrontDoorChoice.Answer) plain("shop", "shop.example");
        assertThat(c.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(c.text()).isNotBlank();
        assertThat(c.logged()).isTrue();
    }

    @Test
    void aHostOtherThanTheConnectionsTlsNameIsMisdirected() {
        assertThat(FrontDoorChoice.of("/", "api.example", "shop.example", true, DOOR)).isEqualTo(new FrontDoorChoice.Answer(
                HttpResponseStatus.MISDIRECTED_REQUEST, "this connection is for shop.example, not api.example", null, true, "/"));
    }

    @Test
    void theAcmeChallengeIsAnsweredOnPlainHttpOnlyAndNotLogged() {
        assertThat(plain("/.well-known/acme-challenge/tok", "shop.example")).isEqualTo(new FrontDoorChoice.Answer(HttpResponseStatus.OK, "tok.key", null, false,
                "/.well-known/acme-challenge/tok"));
        assertThat(plain("/.well-known/acme-challenge/other", "shop.example")).isEqualTo(new FrontDoorChoice.Answer(HttpResponseStatus.NOT_FOUND, "not found",
                null, false, "/.well-known/acme-challenge/other"));
        assertThat(FrontDoorChoice.of("/.well-known/acme-challenge/tok", "shop.example", "shop.example", true, DOOR))
                .as("over TLS it is a path like any other").isInstanceOf(FrontDoorChoice.Pass.class);
    }
}
