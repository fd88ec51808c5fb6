package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.local.api.Sessions;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.view.ServiceView;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's door and the API behind it, over HTTP: login, session cookie, CSRF, caching, the live stream. */
class DashboardApiTest {

    @TempDir
    Path dir;

    private Daemon daemon;
    private String base;
    private String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        base = "http://127.0.0.1:" + daemon.adminPort();
        token = Files.readString(DaemonFiles.tokenFile(dir.resolve("state"))).trim();
        daemon.apply(Specs.rollout("web", 0, 0, "v1", ""), dir.toString(), "web.yaml");
    }

    @AfterEach
    void stop() throws Exception {
        daemon.shutdown().get();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> login(String withToken) throws Exception {
        return send(request("/ui/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(withToken, StandardCharsets.UTF_8))));
    }

    /** Logs in and returns {cookie header value, csrf token}. */
    private String[] session() throws Exception {
        HttpResponse<String> r = login(token);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String page = send(request("/ui/").header("Cookie", cookie)).body();
        int at = page.indexOf("name=\"csrf-token\" content=\"") + "name=\"csrf-token\" content=\"".length();
        return new String[] {cookie, page.substring(at, page.indexOf('"', at))};
    }

    @Test
    void anAliasBombIsRefusedWithItsLineAndTheApiGoesOnAnswering() throws Exception {
        StringBuilder bomb = new StringBuilder("apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: bomb}\nspec:\n"
                + "  template:\n    command: [./server]\n    podTemplate:\n      a0: &a0 [x, x]\n");
        for (int i = 1; i <= 24; i++) bomb.append("      a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        String body = Json.MAPPER.writeValueAsString(Map.of("document", bomb.toString(), "baseDir", dir.toString(), "source", "bomb.yaml"));
        for (String path : List.of("/v1/apply?dryRun=true", "/v1/apply")) {
            HttpResponse<String> refused = send(request(path).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(refused.statusCode()).as(path).isEqualTo(400);
            assertThat(refused.body()).as(path).contains("line 20", "the aliases here expand to more than");
        }
        assertThat(send(request("/healthz")).statusCode()).isEqualTo(200);
        assertThat(daemon.list()).extracting(ServiceView::name).containsExactly("web");
    }

    /** A raw request with the Host header a rebinding page would send; the status line of the answer. */
    private String statusLineWithHost(String host, String path, String extraHeaders) throws Exception {
        try (var s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), daemon.adminPort())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void onlyLoopbackHostNamesReachTheApiAndTheLoginSoARebindingPageCannot() throws Exception {
        String bearer = "Authorization: Bearer " + token + "\r\n";
        assertThat(statusLineWithHost("evil.test", "/ui/login", "")).isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(statusLineWithHost("evil.test:" + daemon.adminPort(), "/v1/services", bearer)).isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(statusLineWithHost("127.0.0.1.evil.test", "/v1/services", bearer)).isEqualTo("HTTP/1.1 403 Forbidden");
        for (String host : List.of("127.0.0.1:" + daemon.adminPort(), "localhost:" + daemon.adminPort(), "[::1]:" + daemon.adminPort(), "localhost")) {
            assertThat(statusLineWithHost(host, "/v1/services", bearer)).as(host).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void fiveWrongTokensInAMinuteCloseTheLoginForAWhile() throws Exception {
        for (int i = 0; i < 5; i++) assertThat(login("not-the-token").statusCode()).isEqualTo(401);
        HttpResponse<String> refused = login(token);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("Too many wrong tokens in the last minute");
        assertThat(send(request("/v1/services").header("Authorization", "Bearer " + token)).statusCode())
                .as("the CLI's bearer token is not the login form's business").isEqualTo(200);
    }

    @Test
    void thePageNeedsALoginWithTheDaemonsToken() throws Exception {
        HttpResponse<String> page = send(request("/ui/"));
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/ui/login");

        HttpResponse<String> wrong = login("guess");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not this daemon's token");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> right = login(token);
        assertThat(right.statusCode()).isEqualTo(303);
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(Sessions.COOKIE + "=").contains("HttpOnly", "SameSite=Strict", "Path=/");
        assertThat(cookie).doesNotContain(token);

        HttpResponse<String> index = send(request("/ui/").header("Cookie", cookie.split(";")[0]));
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(index.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(index.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void aSessionReadsFreelyButChangesNothingWithoutItsCsrfToken() throws Exception {
        String[] s = session();
        HttpResponse<String> list = send(request("/v1/services").header("Cookie", s[0]));
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Cache-Control")).hasValue("no-store");

        HttpResponse<String> none = send(request("/v1/services/web/pause").header("Cookie", s[0]).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("X-CSRF-Token");
        HttpResponse<String> forged = send(request("/v1/services/web/pause").header("Cookie", s[0]).header("X-CSRF-Token", "forged")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(daemon.service("web").rollout().spec().paused()).as("what a refused verb would have changed").isFalse();

        HttpResponse<String> ok = send(request("/v1/services/web/pause").header("Cookie", s[0]).header("X-CSRF-Token", s[1])
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(daemon.service("web").rollout().spec().paused()).isTrue();

        // The CLI's bearer token needs no CSRF token: it is not sent by a browser on its own.
        HttpResponse<String> cli = send(request("/v1/services/web/resume").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(cli.statusCode()).isEqualTo(200);

        HttpResponse<String> out = send(request("/ui/logout").header("Cookie", s[0]).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + s[1])));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(send(request("/v1/services").header("Cookie", s[0])).statusCode()).as("the session ends at logout").isEqualTo(401);
    }

    @Test
    void scriptsAreServedFromTheDaemonSoThePageWorksOffline() throws Exception {
        HttpResponse<String> uplot = send(request("/ui/vendor/uPlot.iife.min.js"));
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(uplot.body()).contains("uPlot");
        assertThat(send(request("/ui/assets/app.js")).body()).contains("EventSource");
        assertThat(send(request("/ui/assets/..%2Fsecret")).statusCode()).isEqualTo(404);
        assertThat(send(request("/ui/vendor/other.js")).statusCode()).isEqualTo(404);
    }

    @Test
    void theLiveStreamSendsASnapshotOfTheChosenService() throws Exception {
        String[] s = session();
        HttpResponse<java.io.InputStream> r = http.send(request("/v1/stream?service=web").header("Cookie", s[0]).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line = in.readLine();
            assertThat(line).startsWith("data: ");
            JsonNode snapshot = Json.MAPPER.readTree(line.substring("data: ".length()));
            assertThat(snapshot.path("services").get(0).path("name").asText()).isEqualTo("web");
            assertThat(snapshot.path("service").path("name").asText()).isEqualTo("web");
            assertThat(snapshot.path("events").findValuesAsText("reason")).contains("Applied");
        }
        HttpResponse<String> unknown = send(request("/v1/stream?service=nope").header("Cookie", s[0]));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("service nope not found");
    }

    @Test
    void theServicesComeAsGetsTableWhenTheClientAsksForTabSeparatedValues() throws Exception {
        HttpResponse<String> table = send(request("/v1/services").header("Authorization", "Bearer " + token)
                .header("Accept", "text/tab-separated-values"));
        assertThat(table.statusCode()).isEqualTo(200);
        assertThat(table.headers().firstValue("Content-Type")).contains("text/tab-separated-values; charset=utf-8");
        assertThat(table.headers().firstValue("Warning")).as("the data plane answers").isEmpty();
        assertThat(table.body().lines()).containsExactly("NAME\tREVISION\tVERSION\tREADY\tUP-TO-DATE\tAVAILABLE\tPHASE\tPORT\tAGE",
                "web\t1\tv1\t0/0\t0\t0\tComplete\t-\t" + table.body().lines().toList().get(1).split("\t")[8]);
        HttpResponse<String> wide = send(request("/v1/services/web?wide=true").header("Authorization", "Bearer " + token)
                .header("Accept", "text/tab-separated-values"));
        assertThat(wide.body().lines().toList().get(0)).endsWith("\tAGE\tIMAGE");
        assertThat(wide.body().lines().toList().get(1)).startsWith("web\t").endsWith("\t-");
        HttpResponse<String> missing = send(request("/v1/services/nope").header("Authorization", "Bearer " + token)
                .header("Accept", "text/tab-separated-values"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(missing.body()).path("error").asText()).contains("nope");
        HttpResponse<String> json = send(request("/v1/services").header("Authorization", "Bearer " + token));
        assertThat(Json.MAPPER.readTree(json.body()).path(0).path("name").asText()).as("without Accept: JSON, as before").isEqualTo("web");
    }

    @Test
    void badMetricWindowsAreRefusedByName() throws Exception {
        HttpResponse<String> r = send(request("/v1/services/web/metrics?seconds=0").header("Authorization", "Bearer " + token));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("seconds: between 1 and 300, got 0");
        // The controller's first pass creates revision 1, just after apply returns.
        JsonNode list = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Json.MAPPER.readTree(
                send(request("/v1/services/web/revisions").header("Authorization", "Bearer " + token)).body()), l -> l.size() > 0);
        assertThat(list.get(0).path("template").path("version").asText()).isEqualTo("v1");
        assertThat(list.get(0).path("current").asBoolean()).isTrue();
    }
}
