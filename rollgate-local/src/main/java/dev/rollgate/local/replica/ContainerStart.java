package dev.rollgate.local.replica;

import dev.rollgate.local.container.ContainerOwner;
import dev.rollgate.local.container.ContainerRun;
import dev.rollgate.local.container.Containers;
import dev.rollgate.local.container.Images;
import dev.rollgate.local.process.ProcessLauncher;
import dev.rollgate.local.process.ReplicaProcess;
import dev.rollgate.local.replica.ReplicaEvent.Type;
import dev.rollgate.spec.ImageReference;
import dev.rollgate.spec.Template;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a container replica starts: its image pulled when this host lacks it, a hand-made container in its name put back, then its attached podman run. */
final class ContainerStart {

    private ContainerStart() {}

    /** The image pulled if this host does not have it yet, then the replica's container started with its port published. */
    static ReplicaProcess launch(String id, Template template, int port, Map<String, String> hostEnv, List<ValueSource.Mount> mounts,
                                 ReplicaConfig config, Path logFile, Said events) throws ProcessLauncher.LaunchException, Images.ImageException {
        ContainerOwner owner = config.owner();
        if (owner == null) throw new ProcessLauncher.LaunchException("a container replica needs an owner (state directory, service, revision)");
        ImageReference image = ImageReference.parse(template.image());
        if (!Images.present(image)) {
            Instant begin = Instant.now();
            events.event(Type.Normal, "Pulling", "pulling image \"" + image + "\"");
            boolean pulled = Images.ensure(image);
            events.event(Type.Normal, "Pulled", (pulled ? "pulled image \"" : "image \"") + image + (pulled ? "\" in " : "\" pulled by another replica, waited ")
                    + Termination.seconds(Duration.between(begin, Instant.now())));
        }
        ContainerRun run;
        try {
            Map<String, String> binds = new LinkedHashMap<>();
            mounts.forEach(m -> binds.put(m.directory().toString(), m.mountPath()));
            run = ContainerRun.of(template, owner.stateDir(), owner.service(), owner.revision(), id, port, binds);
        } catch (IllegalArgumentException e) {
            throw new ProcessLauncher.LaunchException(e.getMessage());
        }
        // A container in this replica's name that Rollgate did not start (someone's podman run --replace): put back, said so.
        for (Containers.Named other : Containers.named(List.of(run.name()))) {
            if (!other.stateDir().equals(owner.stateDir()) || !other.replica().equals(id)) {
                events.event(Type.Warning, "DriftCorrected", "container " + run.name() + " of replica " + id + " was replaced by hand (image "
                        + other.image() + ", not started by Rollgate); put back");
            }
        }
        return ProcessLauncher.launchContainer(run, hostEnv, ContainerRun.environment(template, id), config.workingDir(), logFile);
    }
}
