package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.local.store.DaemonFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's HTTP exchange with its daemon, against a stand-in daemon that answers as told: what a request
 * carries, how an answer is framed, the table and its warnings, and the words for each way it goes wrong.
 */
class DaemonClientTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    /** What the stand-in answers on a path: status, type, body, extra headers, and whether its length is left out (chunked). */
    private record Answer(int status, String type, String body, Map<String, String> headers, boolean chunked) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        Files.writeString(dir.resolve("token"), "secret\n");
        DaemonFiles.writeAddress(dir, new DaemonFiles.Address(ProcessHandle.current().pid(), server.getAddress().getPort(), null));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String key = ex.getRequestMethod() + " " + ex.getRequestURI();
            var h = ex.getRequestHeaders();
            seen.put(key, "auth=" + h.getFirst("Authorization") + " accept=" + h.getFirst("Accept") + " type=" + h.getFirst("Content-Type")
                    + " length=" + h.getFirst("Content-Length") + " body=" + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Answer a = answers.getOrDefault(key, new Answer(404, "application/json", "{\"error\":\"no such path\"}", Map.of(), false));
            byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", a.type());
            a.headers().forEach(ex.getResponseHeaders()::add);
            ex.sendResponseHeaders(a.status(), a.chunked() ? 0 : b.length);
            ex.getResponseBody().write(b);
        }
    }

    private Cli.Result rg(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--state-dir", dir.toString()));
        return Cli.rollgate(all.toArray(String[]::new));
    }

    @Test
    void getPrintsTheDaemonsTableAlignedAndItsWarningsOnStandardError() {
        answers.put("GET /v1/services", new Answer(200, "text/tab-separated-values; charset=utf-8",
                "NAME\tREVISION\tAGE\nweb\t3\t5m\nbilling-api\t12\t2d\n",
                Map.of("Warning", "299 rollgate \"the data plane (pid 9) has not answered the daemon since then\""), true));
        Cli.Result r = rg("get");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("NAME          REVISION   AGE", "web           3          5m", "billing-api   12         2d");
        assertThat(r.err()).isEqualTo("rollgate: warning: the data plane (pid 9) has not answered the daemon since then\n");
        assertThat(seen.get("GET /v1/services")).startsWith("auth=Bearer secret accept=text/tab-separated-values type=null");
    }

    @Test
    void aDaemonThatAnswersTheTableInJsonIsAnotherVersionAndSaidSo() {
        answers.put("GET /v1/services/web?wide=true", new Answer(200, "application/json", "[{\"name\":\"web\"}]", Map.of(), false));
        Cli.Result r = rg("get", "web", "-o", "wide");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the daemon answered with something other than its table of services (it is application/json)")
                .contains("rollgate down && rollgate up").doesNotContain("Exception");
    }

    @Test
    void aBodyGoesWithItsLengthAndTypeAndAnErrorComesBackInWords() throws Exception {
        answers.put("POST /v1/services/web/pause", new Answer(409, "application/json",
                "{\"error\":\"web is not rolling out\",\"details\":[\"its phase is Complete\"]}", Map.of(), false));
        Cli.Result r = rg("rollout", "pause", "web");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("rollgate: web is not rolling out\n  its phase is Complete\n");
        assertThat(seen.get("POST /v1/services/web/pause")).isEqualTo("auth=Bearer secret accept=null type=application/json; charset=UTF-8 length=2 body={}");
    }

    @Test
    void aDaemonThatIsGoneIsSaidSoWithWhereItWasLooked() throws IOException {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        DaemonFiles.writeAddress(dir, new DaemonFiles.Address(ProcessHandle.current().pid(), free, null));
        Cli.Result r = rg("get");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("rollgate: the daemon for " + dir + " does not answer at 127.0.0.1:" + free + "; is it still running? (rollgate up)\n");
    }

    @Test
    void theWarningsTextIsItsQuotedPart() {
        assertThat(DaemonClient.warnText("299 rollgate \"a \\\"quoted\\\" word in C:\\\\dir\"")).isEqualTo("a \"quoted\" word in C:\\dir");
        assertThat(DaemonClient.warnText("no quotes at all")).isEqualTo("no quotes at all");
    }
}
