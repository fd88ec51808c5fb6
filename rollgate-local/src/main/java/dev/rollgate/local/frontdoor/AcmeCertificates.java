package dev.rollgate.local.frontdoor;

import dev.rollgate.local.frontdoor.FrontDoorPlan;
import dev.rollgate.local.frontdoor.FrontDoorSettings;
import dev.rollgate.local.process.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * Certificates by ACME (RFC 8555, HTTP-01, with acme4j) for the hosts whose spec asks for
 * {@code tls: {acme: true}}: the front door's HTTP listener answers the challenge, the certificate
 * and its key go to {@code DIR/certs/HOST/}, and each is renewed before it expires (at
 * {@code renewBefore}, or a third of its lifetime when that is shorter). The data plane picks a
 * new file up by itself; a failure is an event and is tried again a minute later.
 */
public final class AcmeCertificates implements AutoCloseable {

    /** What the daemon does for the manager: serve a challenge answer, publish the front door, record an event. */
    public interface Host {
        void challenge(String token, String answer) throws IOException;

        void certificatesChanged();

        void event(String type, String reason, String message);
    }

    private static final Duration RETRY = Duration.ofMinutes(1);

    static {
        // acme4j builds the certificate signing request with BouncyCastle, which it asks for by name.
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private final Path stateDir;
    private final Host host;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("acme-", 0).factory());
    private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();
    private volatile FrontDoorSettings.Acme settings;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public AcmeCertificates(Path stateDir, Host host) {
        this.stateDir = stateDir;
        this.host = host;
    }

    /** The hosts that want ACME certificates now; each one is checked, issued or renewed on the manager's thread. */
    public synchronized void want(FrontDoorSettings.Acme acme, Set<String> hosts) {
        settings = acme;
        scheduled.keySet().removeIf(h -> {
            if (hosts.contains(h)) return false;
            scheduled.get(h).cancel(false);
            return true;
        });
        for (String h : hosts) {
            if (scheduled.containsKey(h)) continue;
            if (acme == null) {
                if (warned.add(h)) {
                    host.event("Warning", "CertificateFailed", h + ": spec.service.tls.acme needs an ACME directory: rollgate up --acme-directory URL");
                }
                continue;
            }
            scheduled.put(h, worker.schedule(() -> check(h), 0, TimeUnit.SECONDS));
        }
    }

    /** Issues the certificate of {@code h} if it has none or its renewal time came, then schedules the next look. */
    private void check(String h) {
        Duration next;
        try {
            Path dir = FrontDoorPlan.acmeDirectory(stateDir, h);
            X509Certificate current = read(dir.resolve("cert.pem"));
            Instant renewAt = current == null ? Instant.EPOCH : renewAt(current);
            if (!Instant.now().isBefore(renewAt)) {
                X509Certificate issued = issue(h, dir);
                host.certificatesChanged();   // served first, then said
                host.event("Normal", current == null ? "CertificateIssued" : "CertificateRenewed", h + ": serial "
                        + issued.getSerialNumber().toString(16) + ", valid until " + issued.getNotAfter().toInstant()
                        + ", from " + settings.directory());
                renewAt = renewAt(issued);
            }
            next = Duration.between(Instant.now(), renewAt);
        } catch (Exception e) {
            host.event("Warning", "CertificateFailed", h + ": " + e.getMessage() + "; trying again in " + RETRY.toSeconds() + "s");
            next = RETRY;
        }
        synchronized (this) {
            if (scheduled.containsKey(h)) scheduled.put(h, worker.schedule(() -> check(h), Math.max(0, next.toMillis()), TimeUnit.MILLISECONDS));
        }
    }

    /** When to renew: {@code renewBefore} before the end, or a third of the lifetime before it when that is sooner to the end. */
    private Instant renewAt(X509Certificate c) {
        Instant from = c.getNotBefore().toInstant(), to = c.getNotAfter().toInstant();
        Duration third = Duration.between(from, to).dividedBy(3);
        Duration before = settings.renewBefore().compareTo(third) < 0 ? settings.renewBefore() : third;
        return to.minus(before);
    }

    private X509Certificate issue(String h, Path dir) throws Exception {
        FrontDoorSettings.Acme a = settings;
        Session session = new Session(URI.create(a.directory()), new TrustingProvider(a.caFile() == null ? null : Path.of(a.caFile())));
        Account account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey())
                .addEmail(a.email() == null ? "hostmaster@" + h.replace("*.", "") : a.email()).create(session);
        Order order = account.newOrder().domain(h).create();
        for (Authorization auth : order.getAuthorizations()) {
            if (auth.getStatus() == Status.VALID) continue;
            Http01Challenge challenge = auth.findChallenge(Http01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the ACME server offers no HTTP-01 challenge for " + h));
            host.challenge(challenge.getToken(), challenge.getAuthorization());
            try {
                challenge.trigger();
                Status s = auth.waitForCompletion(Duration.ofSeconds(90));
                if (s != Status.VALID) {
                    throw new AcmeException("the HTTP-01 challenge ended " + s + challenge.getError().map(p -> ": " + p).orElse(""));
                }
            } finally {
                host.challenge(challenge.getToken(), null);
            }
        }
        KeyPair domainKey = KeyPairUtils.createECKeyPair("secp256r1");
        order.execute(domainKey);
        Status s = order.waitForCompletion(Duration.ofSeconds(90));
        if (s != Status.VALID) throw new AcmeException("the order ended " + s + order.getError().map(p -> ": " + p).orElse(""));
        StringWriter chain = new StringWriter();
        order.getCertificate().writeCertificate(chain);
        PrivateFiles.directory(dir);
        // The key first, then the certificate: a reader that sees the new certificate finds its key.
        PrivateFiles.write(dir.resolve("key.pem"), pkcs8(domainKey));
        PrivateFiles.write(dir.resolve("cert.pem"), chain.toString());
        return order.getCertificate().getCertificate();
    }

    private KeyPair accountKey() throws IOException {
        Path f = stateDir.resolve("acme").resolve("account.pem");
        if (Files.exists(f)) {
            try (var r = Files.newBufferedReader(f)) {
                return KeyPairUtils.readKeyPair(r);
            }
        }
        PrivateFiles.directory(f.getParent());
        KeyPair k = KeyPairUtils.createKeyPair(2048);
        StringWriter w = new StringWriter();
        KeyPairUtils.writeKeyPair(k, w);
        PrivateFiles.write(f, w.toString());
        return k;
    }

    /** PKCS#8, the form the JDK's TLS (and so the data plane) reads. */
    private static String pkcs8(KeyPair k) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }


    private static X509Certificate read(Path f) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(f)));
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** acme4j's generic provider, whose HTTP client also trusts one more CA (pebble's) for the directory's own TLS. */
    private static final class TrustingProvider extends GenericAcmeProvider {
        private final Path ca;

        TrustingProvider(Path ca) {
            this.ca = ca;
        }

        @Override
        protected HttpConnector createHttpConnector(NetworkSettings settings) {
            return new HttpConnector(settings) {
                @Override
                public HttpClient.Builder createClientBuilder() {
                    HttpClient.Builder b = super.createClientBuilder();
                    if (ca == null) return b;
                    try {
                        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                        ks.load(null, null);
                        int i = 0;
                        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(ca)))) {
                            ks.setCertificateEntry("ca" + i++, c);
                        }
                        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                        tmf.init(ks);
                        SSLContext ctx = SSLContext.getInstance("TLS");
                        ctx.init(null, tmf.getTrustManagers(), null);
                        return b.sslContext(ctx);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot read the ACME CA " + ca + " (--acme-ca): " + e.getMessage(), e);
                    }
                }
            };
        }
    }
}
