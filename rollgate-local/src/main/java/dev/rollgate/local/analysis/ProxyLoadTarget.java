package dev.rollgate.local.analysis;

import dev.rollgate.analysis.run.LoadTarget;
import dev.rollgate.local.dataplane.client.ServiceProxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The embedded platform's load target: the service's own proxy on loopback. A request whose
 * {@code X-Rollgate-Load} header is this service's secret token and a revision's hash goes to that
 * revision whatever the weights (the service's {@code ProxyRouter} adds those routes); a client
 * that does not know the token cannot choose a revision that way.
 */
public final class ProxyLoadTarget implements LoadTarget {

    private final ServiceProxy proxy;
    private final Supplier<String> baseDir;
    private final String token;

    public ProxyLoadTarget(ServiceProxy proxy, Supplier<String> baseDir) {
        this.proxy = proxy;
        this.baseDir = baseDir;
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        this.token = HexFormat.of().formatHex(b);
    }

    /** The header value that routes to {@code revision}. */
    public String value(String revision) {
        return token + ":" + revision;
    }

    @Override
    public URI base() {
        InetSocketAddress a = proxy.address();
        return URI.create("http://127.0.0.1:" + a.getPort());
    }

    @Override
    public Map<String, String> headers(String revision) {
        return Map.of(HEADER, value(revision));
    }

    @Override
    public Path resolve(String file) {
        return Path.of(baseDir.get()).resolve(file).normalize();
    }
}
