package dev.rollgate.proxy.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Host and path routing of the public listener, row by row. */
class FrontDoorRoutesTest {

    private static final FrontDoorRoutes ROUTES = new FrontDoorRoutes(List.of(
            new FrontDoorRoutes.Route("shop", List.of("shop.example.com"), "/", false, false, 0),
            new FrontDoorRoutes.Route("api", List.of("shop.example.com"), "/api", true, false, 0),
            new FrontDoorRoutes.Route("tenants", List.of("*.example.com"), "/", false, false, 0),
            new FrontDoorRoutes.Route("blog", List.of("Blog.Example.org"), "/", false, true, 31536000)));

    @ParameterizedTest(name = "{0}{1} -> {2} {3}")
    @CsvSource({
            "shop.example.com, /,              shop,    /",
            "shop.example.com:443, /cart?x=1,  shop,    /cart?x=1",
            "shop.example.com, /api,           api,     /",
            "shop.example.com, /api/orders/7,  api,     /orders/7",
            "shop.example.com, /api?page=2,    api,     /?page=2",
            "shop.example.com, /apix,          shop,    /apix",
            "acme.example.com, /api/orders,    tenants, /api/orders",
            "a.b.example.com,  /,              -,       -",
            "example.com,      /,              -,       -",
            "blog.example.org, /post,          blog,    /post",
            "unknown.test,     /,              -,       -",
    })
    void routes(String host, String path, String service, String forwarded) {
        var m = ROUTES.match(host, path);
        if (service.equals("-")) {
            assertThat(m).isEmpty();
            return;
        }
        assertThat(m).hasValueSatisfying(x -> {
            assertThat(x.route().service()).isEqualTo(service);
            assertThat(x.path()).isEqualTo(forwarded);
        });
    }

    @Test
    void twoServicesTakingTheSameHostAndPrefixAreNamedBoth() {
        var routes = List.of(new FrontDoorRoutes.Route("a", List.of("x.test", "y.test"), "/", false, false, 0),
                new FrontDoorRoutes.Route("b", List.of("y.test"), "/", false, false, 0),
                new FrontDoorRoutes.Route("c", List.of("y.test"), "/c", false, false, 0));
        assertThat(FrontDoorRoutes.conflicts(routes)).containsExactly("services a and b both route y.test with path prefix /");
    }
}
