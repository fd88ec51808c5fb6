package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTextTest {

    @Test
    void eachFamilyOnceWithAServiceLabelOnEverySample() {
        String a = """
                # HELP x_total Things.
                # TYPE x_total counter
                x_total{revision="1"} 5
                # HELP y Gauge.
                # TYPE y gauge
                y 2
                """;
        String b = """
                # HELP x_total Things.
                # TYPE x_total counter
                x_total{revision="3"} 7
                """;
        Map<String, String> in = new LinkedHashMap<>();
        in.put("web", a);
        in.put("api", b);
        String merged = MetricsText.merge(in);
        assertThat(merged).isEqualTo("""
                # HELP x_total Things.
                # TYPE x_total counter
                x_total{service="web",revision="1"} 5
                x_total{service="api",revision="3"} 7
                # HELP y Gauge.
                # TYPE y gauge
                y{service="web"} 2
                """);
    }
}
