package dev.rollgate.analysis.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.http.BoundedHttp;
import dev.rollgate.spec.AnalysisTemplate;
import dev.rollgate.spec.AnalysisTemplate.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A measurement over HTTP ends, whole, within its deadline and its output bound, whatever the other side does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeasurementLimitsTest {

    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
    }

    /** A server that sends the head of a response promising {@code length} bytes, then {@code sent} of them, then stalls. */
    private int stallingServer(long length, int sent) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            InputStream in = s.getInputStream();
                            byte[] b = new byte[8192];
                            in.read(b);
                            OutputStream out = s.getOutputStream();
                            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                            out.write("x".repeat(sent).getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            in.read(b); // stalls until the client gives up and closes
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private static AnalysisTemplate.Metric metric(Provider provider) {
        return new AnalysisTemplate.Metric("m", null, null, null, null, null, 0, 0, 4, 0, provider);
    }

    private RunContext ctx() {
        return new RunContext("web", null, "s", "c", Map.of(), null);
    }

    @Test
    void aWebMetricWhoseServerStallsMidBodyIsAnErrorAtItsTimeout() throws Exception {
        int port = stallingServer(1000, 10);
        long begin = System.nanoTime();
        Provider.Web web = new Provider.Web("http://127.0.0.1:" + port + "/", "GET", List.of(), null, null, 1);
        assertThatThrownBy(() -> new Providers().measure(metric(web), ctx())).isInstanceOf(IOException.class)
                .hasMessageContaining("no whole answer within 1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anAnswerOverTheBoundIsRefusedNotBuffered() throws Exception {
        int port = stallingServer(Providers.MAX_ANSWER + 100_000, Providers.MAX_ANSWER + 100_000);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
        assertThatThrownBy(() -> BoundedHttp.exchange(request, Duration.ofSeconds(10), Providers.MAX_ANSWER))
                .isInstanceOf(IOException.class).hasMessageContaining("over " + Providers.MAX_ANSWER + " bytes");
    }
}
