package dev.rollgate.local.container;

import dev.rollgate.project.ProjectScripts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A registry on loopback for the container demo and the tests ({@code scripts/registry.sh}, Debian's
 * docker-registry), and the demo's images pushed to it ({@code scripts/demo-images.sh}). No network.
 */
public final class ThrowawayRegistry implements AutoCloseable {

    private final Path dir;
    private final String address;

    private ThrowawayRegistry(Path dir, String address) {
        this.dir = dir;
        this.address = address;
    }

    /** Starts a registry storing into {@code dir} on a free loopback port (installing what it needs first). */
    public static ThrowawayRegistry start(Path dir) throws IOException, InterruptedException {
        return ProjectScripts.onAFreePort(port -> {
            String out = ProjectScripts.run("registry.sh", "start", dir.toString(), Integer.toString(port));
            return new ThrowawayRegistry(dir, out.lines().reduce((a, b) -> b).orElseThrow());
        });
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return address;
    }

    /** {@code ADDRESS/demo-web:TAG}. */
    public String image(String tag) {
        return address + "/demo-web:" + tag;
    }

    /** Builds and pushes the demo's images (all of them when no tag is given); each tag's digest. */
    public Map<String, String> pushDemoImages(String... tags) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(address));
        args.addAll(List.of(tags));
        Map<String, String> digests = new LinkedHashMap<>();
        for (String line : ProjectScripts.run("demo-images.sh", args.toArray(String[]::new)).lines().toList()) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 2 && parts[1].startsWith("sha256:")) digests.put(parts[0], parts[1]);
        }
        return digests;
    }

    /** Points {@code tag} at the image that {@code from} names now (a tag moved, as a CI job re-pushing :latest does). */
    public void moveTag(String from, String tag) throws IOException {
        Podman.Result r = Podman.run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + image(from), "docker://" + image(tag)), Map.of(), Duration.ofMinutes(2));
        if (!r.ok()) throw new IOException("could not move tag " + tag + " to " + from + ": " + r.why());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ProjectScripts.run("registry.sh", "stop", dir.toString());
    }
}
