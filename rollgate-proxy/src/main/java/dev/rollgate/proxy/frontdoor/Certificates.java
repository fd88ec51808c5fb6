package dev.rollgate.proxy.frontdoor;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The front door's certificates by host name (SNI), from PEM files that are read again when they
 * change on disk, so a renewed certificate is served to new connections within about a second and
 * no connection is dropped. TLS 1.2 and 1.3 only, the AEAD cipher suites HTTP/2 requires, and ALPN
 * offering h2 then http/1.1.
 */
public final class Certificates implements Mapping<String, SslContext> {

    /** Where a host's certificate chain and private key (PKCS#8) are. */
    public record Pem(Path certificate, Path key) {}

    private record Loaded(Pem files, long stamp, SslContext context) {}

    /** BoringSSL (netty-tcnative) where it loads, as HAProxy and nginx use OpenSSL; the JDK's TLS otherwise. */
    static final SslProvider PROVIDER = OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)
            ? SslProvider.OPENSSL : SslProvider.JDK;

    public static String provider() {
        return PROVIDER == SslProvider.OPENSSL ? OpenSsl.versionString() + " (netty-tcnative)" : "the JDK's TLS";
    }

    private final Map<String, Loaded> byHost = new ConcurrentHashMap<>();
    private final Consumer<String> log;
    private volatile SslContext fallback;

    public Certificates(Consumer<String> log) {
        this.log = log;
    }

    /** Replaces the set of hosts and their files; files already loaded and unchanged are kept. */
    public synchronized void set(Map<String, Pem> hosts) {
        Map<String, Pem> wanted = new LinkedHashMap<>();
        hosts.forEach((h, f) -> wanted.put(h.toLowerCase(Locale.ROOT), f));
        byHost.keySet().removeIf(h -> !wanted.containsKey(h));
        wanted.forEach((host, files) -> {
            Loaded l = byHost.get(host);
            if (l == null || !l.files().equals(files)) load(host, files);
        });
        fallback = byHost.values().stream().map(Loaded::context).findFirst().orElse(null);
    }

    /** Reloads every certificate whose files changed since they were read. */
    public synchronized void reloadChanged() {
        byHost.forEach((host, l) -> {
            if (stamp(l.files()) != l.stamp()) load(host, l.files());
        });
        fallback = byHost.values().stream().map(Loaded::context).findFirst().orElse(null);
    }

    public boolean isEmpty() {
        return byHost.isEmpty();
    }

    public List<String> hosts() {
        return List.copyOf(byHost.keySet());
    }

    private void load(String host, Pem files) {
        long stamp = stamp(files);
        try {
            SslContext ctx = SslContextBuilder.forServer(files.certificate().toFile(), files.key().toFile())
                    .sslProvider(PROVIDER)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
            boolean again = byHost.containsKey(host);
            byHost.put(host, new Loaded(files, stamp, ctx));
            log.accept((again ? "reloaded" : "loaded") + " the certificate of " + host + " from " + files.certificate());
        } catch (Exception e) {
            Loaded old = byHost.get(host);
            // A half-written file is read again at the next change; the old certificate stays meanwhile.
            if (old != null) byHost.put(host, new Loaded(files, stamp, old.context()));
            log.accept("cannot load the certificate of " + host + " from " + files.certificate() + " and " + files.key() + ": " + e.getMessage());
        }
    }

    private static long stamp(Pem f) {
        try {
            return Files.getLastModifiedTime(f.certificate()).toMillis() * 31 + Files.size(f.certificate())
                    + Files.getLastModifiedTime(f.key()).toMillis() * 17 + Files.size(f.key());
        } catch (IOException e) {
            return -1;
        }
    }

    /** SNI: the host's certificate, the wildcard's for one more label, else the first one loaded. */
    @Override
    public SslContext map(String sniHost) {
        if (sniHost != null) {
            String h = sniHost.toLowerCase(Locale.ROOT);
            Loaded l = byHost.get(h);
            if (l != null) return l.context();
            int dot = h.indexOf('.');
            if (dot > 0) {
                l = byHost.get("*" + h.substring(dot));
                if (l != null) return l.context();
            }
        }
        return fallback;
    }
}
