package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/**
 * A service's response compression (Caddy's {@code encode}, Traefik's Compress), off unless the
 * service asks: a response the client accepts compressed and the replica sent as is, of a listed
 * content type and at least {@code minResponseBodyBytes} long (or of unknown length), goes out in
 * the first of {@code encodings} the client takes most willingly.
 *
 * @param encodings    "zstd", "br" and "gzip", in the service's order of preference; none: off
 * @param contentTypes media types, exact ({@code application/json}) or with a wildcard ({@code text/*}, {@code application/*+json})
 */
public record Compression(List<String> encodings, int minResponseBodyBytes, List<String> contentTypes) {

    public static final Compression OFF = new Compression(List.of(), 0, List.of());

    public Compression {
        encodings = encodings == null ? List.of() : List.copyOf(encodings);
        contentTypes = contentTypes == null ? List.of() : List.copyOf(contentTypes);
    }

    public boolean enabled() {
        return !encodings.isEmpty();
    }

    /**
     * Whether the response may go out compressed at all, whatever the client takes: one with a body
     * (not an answer to HEAD, nor 1xx, 204, 206 or 304), not encoded already, not marked
     * {@code no-transform}, of a listed type, and not known to be shorter than the minimum.
     */
    boolean eligible(HttpResponse response, boolean headRequest) {
        int status = response.status().code();
        if (headRequest || status < 200 || status == 204 || status == 206 || status == 304) return false;
        HttpHeaders h = response.headers();
        String encoded = h.get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoded != null && !encoded.equalsIgnoreCase("identity")) return false;
        if (h.containsValue(HttpHeaderNames.CACHE_CONTROL, "no-transform", true)) return false;
        String length = h.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) < minResponseBodyBytes) return false;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        String type = h.get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && listed(type);
    }

    private boolean listed(String contentType) {
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        for (String pattern : contentTypes) {
            int star = pattern.indexOf('*');
            if (star < 0 ? type.equals(pattern) : type.startsWith(pattern.substring(0, star)) && type.endsWith(pattern.substring(star + 1))
                    && type.length() >= pattern.length() - 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * The encoding for a client that sent {@code acceptEncoding} (RFC 9110 §12.5.3): of the service's
     * encodings, the one with the client's highest q-value ({@code *} stands for any it did not name;
     * q=0 refuses), the service's order breaking ties; null when it takes none of them.
     */
    String choose(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isBlank()) return null;
        String best = null;
        double bestQ = 0;
        for (String encoding : encodings) {
            if (!BodyEncoder.available(encoding)) continue;
            double q = quality(acceptEncoding, encoding);
            if (q > bestQ) {
                best = encoding;
                bestQ = q;
            }
        }
        return best;
    }

    private static double quality(String acceptEncoding, String encoding) {
        double named = -1, star = -1;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (coding.equals(encoding) || encoding.equals("gzip") && coding.equals("x-gzip")) named = Math.max(named, q);
            else if (coding.equals("*")) star = q;
        }
        return named >= 0 ? named : Math.max(star, 0);
    }
}
