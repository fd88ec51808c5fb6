package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.local.frontdoor.FrontDoorSettings;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.testkit.Packages;
import dev.rollgate.view.EventRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACME against a real ACME server, Let's Encrypt's test server pebble (Debian package), whose
 * validation authority really fetches the HTTP-01 answer from Rollgate's front door (a mock DNS,
 * pebble-challtestsrv, points the test's host name at loopback; no "always valid" switch). Pebble
 * issues 30-second certificates here, so the renewal comes within the test.
 */
class AcmeTest {

    @TempDir
    Path dir;

    private final List<Process> servers = new ArrayList<>();
    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();


    @BeforeEach
    void installPebble() throws Exception {
        Packages.ensure("pebble");
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
        servers.forEach(Process::destroy);
    }

    private Process start(Path log, String... argv) throws IOException {
        ProcessBuilder b = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("PEBBLE_VA_NOSLEEP", "1");
        b.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        Process p = b.start();
        servers.add(p);
        return p;
    }

    @Test
    void aCertificateIsIssuedByHttp01ServedAndRenewedBeforeItExpires() throws Exception {
        int dns = Loopback.freePort(), management = Loopback.freePort(), acmePort = Loopback.freePort(), acmeManagement = Loopback.freePort(), http = Loopback.freePort(), https = Loopback.freePort();
        Path cert = dir.resolve("pebble.crt"), key = dir.resolve("pebble.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=pebble",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0).isTrue();
        Files.writeString(dir.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false, "certificateValidityPeriod": 30}}
                """.formatted(acmePort, acmeManagement, cert, key, http, Loopback.freePort()));
        start(dir.resolve("dns.log"), "pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01", "127.0.0.1:" + dns,
                "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + management);
        start(dir.resolve("pebble.log"), "pebble", "-config", dir.resolve("pebble.json").toString(), "-dnsserver", "127.0.0.1:" + dns);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (var s = new java.net.Socket("127.0.0.1", acmePort)) {
                return true;
            }
        });

        daemon = Daemon.open(dir.resolve("state"), 0, new FrontDoorSettings("127.0.0.1:" + http, "127.0.0.1:" + https, List.of(), null,
                new FrontDoorSettings.Acme("https://127.0.0.1:" + acmePort + "/dir", "ops@shop.test", cert.toString(), null)));
        int port = Loopback.freePort();
        daemon.apply(Specs.rollout("shop", 1, port, "v1", "").replace("  service: {port: " + port + "}\n",
                "  service: {port: " + port + ", hosts: [shop.test], tls: {acme: true}}\n"), dir.toString(), "shop.yaml");
        DaemonAwait.phase(daemon, "shop", "Complete", pids);

        awaitEvent("CertificateIssued");
        X509Certificate first = served(https);
        assertThat(first.getSubjectAlternativeNames()).anyMatch(san -> san.get(1).equals("shop.test"));
        assertThat(first.getIssuerX500Principal().getName()).contains("Pebble");
        assertThat(get(https)).contains("\"version\":\"v1\"");

        // A third of the 30 s lifetime before expiry: renewed, and the new certificate is what new connections get.
        awaitEvent("CertificateRenewed");
        await().atMost(Duration.ofSeconds(10)).until(() -> !served(https).getSerialNumber().equals(first.getSerialNumber()));
        BigInteger renewed = served(https).getSerialNumber();
        assertThat(renewed).isNotEqualTo(first.getSerialNumber());
        assertThat(Files.readString(Path.of(dir.resolve("pebble.log").toString()))).contains("shop.test");
    }

    /** Waits for an event; on timeout, says what the front door and pebble said instead. */
    private void awaitEvent(String reason) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> reasons().contains(reason));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> said = daemon.events(null, 0, 1000).stream().filter(x -> x.object().equals("frontdoor"))
                    .map(x -> x.reason() + ": " + x.message()).toList();
            List<String> log = Files.readAllLines(dir.resolve("pebble.log"));
            throw new AssertionError("no " + reason + "; front door events: " + said + "; pebble: " + log.subList(Math.max(0, log.size() - 15), log.size()));
        }
    }

    private List<String> reasons() throws Exception {
        return daemon.events(null, 0, 1000).stream().map(EventRow::reason).toList();
    }

    private static SSLSocket tls(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String auth) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String auth) {} // pebble's roots change per run: the test reads the chain

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("shop.test")));
        p.setApplicationProtocols(new String[] {"http/1.1"});
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static X509Certificate served(int port) throws Exception {
        try (SSLSocket s = tls(port)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static String get(int port) throws Exception {
        try (SSLSocket s = tls(port)) {
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
