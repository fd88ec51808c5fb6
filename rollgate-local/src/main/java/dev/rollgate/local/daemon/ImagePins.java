package dev.rollgate.local.daemon;

import dev.rollgate.local.ApiException;
import dev.rollgate.local.container.ContainerRun;
import dev.rollgate.local.container.Images;
import dev.rollgate.local.container.Podman;
import dev.rollgate.spec.ImageReference;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.Template;
import java.util.ArrayList;
import java.util.List;

/**
 * The apply check for container replicas: the host can run them, their limits mean something to podman,
 * and every image is pinned. A tag is resolved to its digest here, once, so the revision (and its
 * template hash) names one build: a tag moved later changes nothing until the file is applied again.
 * {@code apply} and {@code diff} both come through here, so they agree on what a file means.
 */
final class ImagePins {

    /** The rollouts with their images pinned, and what was resolved (for the events). */
    record Pinned(List<Rollout> rollouts, List<Resolution> resolutions) {}

    /** {@code tag} of service {@code service} is {@code pinned}. */
    record Resolution(String service, String tag, String pinned) {}

    private ImagePins() {}

    /** {@code requireDigest}: the caller's {@code apply --require-digest}, on top of each spec's own field. */
    static Pinned pin(List<Rollout> rollouts, String source, boolean requireDigest) {
        List<String> problems = new ArrayList<>();
        List<Rollout> out = new ArrayList<>();
        List<Resolution> resolved = new ArrayList<>();
        for (Rollout r : rollouts) {
            Template t = r.spec().template();
            if (!t.runsContainer()) {
                out.add(r);
                continue;
            }
            String where = source + ": " + r.name() + ": spec.template.image: ";
            Podman.missing().ifPresent(why -> problems.add(where + why));
            ContainerRun.problem(t).ifPresent(why -> problems.add(source + ": " + r.name() + ": " + why));
            ImageReference image = ImageReference.parse(t.image());
            if (requireDigest && !image.pinned()) {
                problems.add(where + image.refusedBy("--require-digest").orElseThrow());   // the spec's own field is refused by the parser
                continue;
            }
            if (!problems.isEmpty()) continue;
            try {
                Template pinned = Images.pin(t);
                if (!image.pinned()) resolved.add(new Resolution(r.name(), image.toString(), pinned.image()));
                out.add(new Rollout(r.metadata(), r.spec().withTemplate(pinned)));
            } catch (Images.ImageException e) {
                problems.add(where + e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new ApiException(400, source + ": the images are refused; nothing was applied", problems);
        return new Pinned(out, resolved);
    }
}
