package dev.rollgate.spec;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An OCI image reference as podman, Docker and the kubelet read it: {@code [registry/]repository[:tag][@sha256:…]}.
 * A reference with a digest names one build for good; a tag may move.
 *
 * @param registry   the registry's host[:port], or null when the reference names none (Docker Hub, or local storage)
 * @param repository the path inside the registry, e.g. {@code acme/web}
 * @param tag        the tag, or null
 * @param digest     {@code sha256:<64 hex>}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?");

    /** Reads {@code text}, or says what is wrong with it in one sentence. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("an image reference is empty");
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("\"" + text + "\" has digest \"" + digest + "\"; write sha256: and 64 lower-case hex digits");
            }
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                if (!HOST.matcher(first).matches()) throw new IllegalArgumentException("\"" + text + "\" has registry \"" + first + "\", not a host[:port]");
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("\"" + text + "\" has tag \"" + tag + "\"; a tag is up to 128 letters, digits, '_', '.' and '-'");
            }
        }
        if (rest.isEmpty()) throw new IllegalArgumentException("\"" + text + "\" names no repository");
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("\"" + text + "\" has repository \"" + rest
                        + "\"; use lower-case letters, digits and separators ('.', '_', '-') between '/'");
            }
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** Why {@code text} is not an image reference, if it is not. */
    public static Optional<String> problem(String text) {
        try {
            parse(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    public boolean pinned() {
        return digest != null;
    }

    /** Why this reference is refused where {@code setting} asks for a digest; empty when it has one. */
    public Optional<String> refusedBy(String setting) {
        return pinned() ? Optional.empty()
                : Optional.of("\"" + this + "\" has no digest and " + setting + " is set; write it as NAME@sha256:…");
    }

    /** The repository with its registry, without tag or digest. */
    public String name() {
        return registry == null ? repository : registry + "/" + repository;
    }

    /** The one build this reference resolved to: {@code name@sha256:…}, the tag dropped (it may move; the digest may not). */
    public ImageReference withDigest(String resolved) {
        if (!DIGEST.matcher(resolved).matches()) throw new IllegalArgumentException("not a sha256 digest: " + resolved);
        return new ImageReference(registry, repository, null, resolved);
    }

    /** A registry on this host (127.0.0.0/8, ::1, localhost): reached over plain HTTP, as Docker treats 127.0.0.0/8 by default. */
    public boolean loopbackRegistry() {
        if (registry == null) return false;
        String host = registry.startsWith("[") ? registry.substring(1, registry.indexOf(']')) : registry.replaceFirst(":[0-9]+$", "");
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
