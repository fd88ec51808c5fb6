package dev.rollgate.local.container;

import dev.rollgate.spec.ImageReference;
import dev.rollgate.spec.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tags to digests and digests to local storage. A tag is asked of its registry once, at apply
 * ({@code skopeo inspect}, which reads podman's login credentials); from then on the revision runs
 * the digest, whatever the tag points to later. A registry on loopback is reached over plain HTTP.
 */
public final class Images {

    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
    private static final Map<String, Object> PULLS = new ConcurrentHashMap<>();

    /** A tag that could not be resolved, or an image that could not be pulled, said in words. */
    public static final class ImageException extends Exception {
        public ImageException(String message) {
            super(message);
        }
    }

    private Images() {}

    /** {@code image} as {@code name@sha256:…}: unchanged when it already has a digest, else its tag asked of the registry. */
    public static ImageReference resolve(ImageReference image) throws ImageException {
        if (image.pinned()) return image;
        List<String> argv = new ArrayList<>(List.of("skopeo", "inspect", "--no-tags", "--format", "{{.Digest}}"));
        if (image.loopbackRegistry()) argv.add("--tls-verify=false");
        argv.add("docker://" + image);
        Podman.Result r = Podman.run(argv, Map.of(), RESOLVE_TIMEOUT);
        String digest = r.output().strip();
        if (!r.ok() || !digest.matches("sha256:[a-f0-9]{64}")) {
            throw new ImageException("cannot resolve image " + image + " to a digest: " + reason(r.why()));
        }
        return image.withDigest(digest);
    }

    /** {@code t} running the digest its image names now (unchanged when it is pinned already). */
    public static Template pin(Template t) throws ImageException {
        ImageReference image = ImageReference.parse(t.image());
        return image.pinned() ? t : t.withImage(resolve(image).toString());
    }

    /** This host's storage has {@code image}. */
    public static boolean present(ImageReference image) {
        return Podman.podman(RESOLVE_TIMEOUT, "image", "exists", image.toString()).ok();
    }

    /**
     * Pulls {@code image} into this host's storage unless it is there; replicas that start together wait for one pull.
     * True when it pulled.
     */
    public static boolean ensure(ImageReference image) throws ImageException {
        synchronized (PULLS.computeIfAbsent(image.toString(), k -> new Object())) {
            if (present(image)) return false;
            pull(image);
            return true;
        }
    }

    /** Pulls {@code image} into this host's storage. */
    static void pull(ImageReference image) throws ImageException {
        List<String> argv = new ArrayList<>(List.of("pull", "--quiet"));
        if (image.loopbackRegistry()) argv.add("--tls-verify=false");
        argv.add(image.toString());
        Podman.Result r = Podman.podman(PULL_TIMEOUT, argv);
        if (!r.ok()) throw new ImageException("Failed to pull image \"" + image + "\": " + reason(r.why()));
    }

    /** skopeo and podman end with {@code time="…" level=fatal msg="…"}: the message is what a person needs. */
    static String reason(String line) {
        int msg = line.indexOf("msg=\"");
        String s = msg < 0 ? line : line.substring(msg + 5, line.endsWith("\"") ? line.length() - 1 : line.length());
        return s.replace("\\\"", "\"");
    }
}
