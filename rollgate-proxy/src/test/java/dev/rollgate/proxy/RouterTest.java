package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The route choice and the pick: match routes, sticky cookies, exact weights, least load, exclusion, draining. */
class RouterTest {

    private final ProxyMetrics metrics = new ProxyMetrics();
    private final List<String> cut = new ArrayList<>();
    private final Router router = new Router(metrics, cut::add);

    private static final Endpoint A1 = new Endpoint("a1", "a", "127.0.0.1", 1001);
    private static final Endpoint A2 = new Endpoint("a2", "a", "127.0.0.1", 1002);
    private static final Endpoint B1 = new Endpoint("b1", "b", "127.0.0.1", 2001);

    private static RoutingTable table() {
        return new RoutingTable(Map.of("a", List.of(A1, A2), "b", List.of(B1)), Map.of("a", 90, "b", 10), "b", "a", List.of(), null);
    }

    private static HttpHeaders headers(String... nameValue) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < nameValue.length; i += 2) h.add(nameValue[i], nameValue[i + 1]);
        return h;
    }

    @AfterEach
    void close() {
        router.close();
        metrics.close();
    }

    @Test
    void aMatchRouteWinsOverWeightsOnlyWhileItsRevisionHasAReadyEndpoint() {
        router.update(table().withRoutes(List.of(MatchRoute.header("X-Beta", "1", "b"))));
        assertThat(router.choose(headers("X-Beta", "1"), false)).isEqualTo(new Router.Want(false, "b"));
        assertThat(router.choose(headers("X-Beta", "2"), false)).isEqualTo(new Router.Want(false, null));
        assertThat(router.choose(headers("X-Beta", "1"), true)).as("the preview listener").isEqualTo(new Router.Want(true, null));
        router.update(table().withRoutes(List.of(MatchRoute.header("X-Beta", "1", "b"))).withEndpoints("b", List.of()));
        assertThat(router.choose(headers("X-Beta", "1"), false)).isEqualTo(new Router.Want(false, null));
    }

    @Test
    void theStickyCookieKeepsAClientOnItsRevisionWhileThatRevisionHasWeight() {
        router.update(table().withStickyCookie("rg"));
        assertThat(router.choose(headers("Cookie", "rg=b"), false)).isEqualTo(new Router.Want(false, "b"));
        EndpointState b = router.pick(new Router.Want(false, "b"), Set.of());
        assertThat(router.stickTo(headers("Cookie", "rg=b"), b)).as("the cookie says so already").isNull();
        assertThat(router.stickTo(headers(), b)).isEqualTo("b");
        router.update(table().withStickyCookie("rg").withWeights(Map.of("a", 100, "b", 0)));
        assertThat(router.choose(headers("Cookie", "rg=b"), false)).as("b has no weight any more").isEqualTo(new Router.Want(false, null));
    }

    @Test
    void weightsAreExactOverEveryHundredPicks() {
        router.update(table());
        Map<String, Integer> byRevision = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            EndpointState e = router.pick(new Router.Want(false, null), Set.of());
            byRevision.merge(e.endpoint.revision(), 1, Integer::sum);
            e.release();
        }
        assertThat(byRevision).isEqualTo(Map.of("a", 90, "b", 10));
    }

    @Test
    void theLeastLoadedEndpointOfARevisionIsPickedAndFailedOnesAreNotPickedAgain() {
        router.update(table());
        EndpointState first = router.pick(new Router.Want(false, "a"), Set.of());
        EndpointState second = router.pick(new Router.Want(false, "a"), Set.of());
        assertThat(second.endpoint).as("one in flight on the first: the other one").isNotEqualTo(first.endpoint);
        EndpointState again = router.pick(new Router.Want(false, "a"), Set.of("a1", "a2"));
        assertThat(again).as("both of revision a failed this request; a preferred revision has no fallback").isNull();
        EndpointState any = router.pick(new Router.Want(false, null), Set.of("a1", "a2"));
        assertThat(any.endpoint).as("by weights, with another revision as the fallback").isEqualTo(B1);
    }

    @Test
    void aDrainTakesTheEndpointOutAtOnceAndEndsWithItsLastRequest() throws Exception {
        router.update(RoutingTable.single("a", List.of(A1)));
        EndpointState busy = router.pick(new Router.Want(false, null), Set.of());
        var drained = router.drain("a1", Duration.ofSeconds(30));
        assertThat(router.pick(new Router.Want(false, null), Set.of())).as("no new request lands on a draining endpoint").isNull();
        assertThat(drained).isNotDone();
        busy.release();
        assertThat(drained.get().cut()).isZero();
        assertThat(cut).isEmpty();
    }

    @Test
    void aDrainThatTimesOutCutsWhatIsLeft() throws Exception {
        router.update(RoutingTable.single("a", List.of(A1)));
        router.pick(new Router.Want(false, null), Set.of());
        DrainResult r = router.drain("a1", Duration.ofMillis(50)).get();
        assertThat(r.cut()).isEqualTo(1);
        org.awaitility.Awaitility.await().until(() -> cut.contains("a1"));
    }
}
