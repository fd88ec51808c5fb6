package dev.rollgate.local.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.proxy.Endpoint;
import dev.rollgate.proxy.MatchRoute;
import dev.rollgate.proxy.MirrorRoute;
import dev.rollgate.proxy.MirrorView;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.proxy.SecondStats;
import dev.rollgate.proxy.WindowStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What crosses the control API comes back equal: tables with every kind of route, NaN latencies, durations. */
class DataPlaneProtocolTest {

    private static <T> T roundTrip(T value, Class<T> type) {
        return DataPlaneProtocol.read(DataPlaneProtocol.write(value), type);
    }

    @Test
    void aRoutingTableWithWeightsPreviewRoutesAndACookieComesBackEqual() {
        var routes = List.of(MatchRoute.header("X-Canary", "1", "b"),
                new MatchRoute(List.of(new MatchRoute.When(MatchRoute.Kind.COOKIE, "tier", MatchRoute.Mode.REGEX, "gold|plat.*"),
                        new MatchRoute.When(MatchRoute.Kind.HEADER, "X-User", MatchRoute.Mode.PREFIX, "qa-")), "b"));
        var table = new RoutingTable(Map.of("a", List.of(new Endpoint("web-a@1", "a", "127.0.0.1", 1)),
                "b", List.of(new Endpoint("web-b@2", "b", "127.0.0.1", 2), new Endpoint("web-c@3", "b", "127.0.0.1", 3))),
                Map.of("a", 80, "b", 20), "b", "a", routes, "rg-sticky");
        RoutingTable back = roundTrip(table, RoutingTable.class);
        assertThat(back).isEqualTo(table);
        assertThat(back.routes().get(1).when().getFirst().pattern().pattern()).isEqualTo("gold|plat.*");

        var mirror = new MirrorRoute("b", 30, List.of(new MirrorRoute.Match("GET", MatchRoute.Mode.REGEX, "/api/v[0-9]+/.*",
                List.of(new MatchRoute.When(MatchRoute.Kind.HEADER, "X-Tier", MatchRoute.Mode.EXACT, "free")))), true, List.of("ETag"));
        RoutingTable mirroredBack = roundTrip(table.withMirror(mirror), RoutingTable.class);
        assertThat(mirroredBack).isEqualTo(table.withMirror(mirror));
        assertThat(mirroredBack.mirror().match().getFirst().pattern().matcher("/api/v2/items").matches()).isTrue();
        var view = new MirrorView(5, 1, 4, 2, 0, 3, new double[] {1.5, 2}, new double[] {1, 1});
        assertThat(roundTrip(view, MirrorView.class).canaryLatencyMs()).containsExactly(1.5, 2);
    }

    @Test
    void statsWithoutRequestsKeepTheirNaNAndDurationsTheirLength() {
        var idle = new WindowStats(Duration.ofSeconds(60), new long[] {0, 3, 0, 1, 2}, 1, 2, 0, Double.NaN, Double.NaN, 12.5, Double.NaN);
        WindowStats back = roundTrip(idle, WindowStats.class);
        assertThat(back.window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(back.byStatusClass()).containsExactly(0, 3, 0, 1, 2);
        assertThat(back.p50()).isNaN();
        assertThat(back.p99()).isEqualTo(12.5);
        var second = new SecondStats(1_700_000_000L, 10, 1, 0, 2, Double.NaN, 4.0);
        assertThat(roundTrip(second, SecondStats.class)).isEqualTo(second);
        var t = new ProxyConfig.Timeouts(Duration.ofMillis(1500), Duration.ofSeconds(60), Duration.ofMinutes(2));
        assertThat(roundTrip(t, ProxyConfig.Timeouts.class)).isEqualTo(t);
    }
}
