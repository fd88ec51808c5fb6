package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.controller.Verb;
import dev.rollgate.local.store.Store;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceTable;
import dev.rollgate.view.ServiceView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where a command acts, chosen once per invocation from the shared options ({@link DaemonOptions#target}):
 * the local daemon ({@link DaemonTarget}) or a Kubernetes cluster where {@code rollgate operator} runs the
 * Rollouts ({@link ClusterTarget}). Every verb of the commands that take both is a method here, so each
 * target's handling of it is in one place. Answers are in the daemon's shapes on both.
 */
sealed interface Target permits DaemonTarget, ClusterTarget {

    /** Every service (a JSON array of {@link ServiceView}). */
    JsonNode services();

    /** One service ({@link ServiceView}); a service that is not there is a {@link CliException}. */
    JsonNode service(String name);

    /** The revisions of a service, oldest first. */
    JsonNode history(String name);

    /** The events of one service (null: all), read now and then as they come. */
    Events events(String name);

    /** A verb of {@code rollgate rollout}; what it did, in words ("promoted"), or a {@link CliException} that says why not. */
    String act(String name, Verb verb);

    /** Deletes a service; the line that says so. */
    String delete(String name);

    /** Applies a file: the answer as data ({@code -o json}) and one line per object. */
    Applied apply(Path file, String text, boolean requireDigest);

    /** What {@link #apply} would do with the file, changing nothing. */
    DiffCommand.Previews preview(Path file, String text);

    /** Where a service is reached, for describe. */
    String address(ServiceView service);

    /**
     * {@code rollgate get}'s table of every service (name null) or one; {@code wide} adds the image. The daemon
     * makes it; for a cluster it is made here from {@link #services}.
     */
    Listing listing(String name, boolean wide);

    /** {@code rollgate get}'s table ({@link ServiceTable}), and what it cannot show (said on standard error). */
    record Listing(ServiceTable table, List<String> warnings) {}

    /** What apply did: the answer as data, and its lines ({@code service/web configured}). */
    record Applied(JsonNode data, List<String> lines) {}

    /** A service's events: the newest so far, then the ones that came since, each once. */
    interface Events {

        /** The newest {@code limit} events, oldest first. */
        List<EventRow> newest(int limit);

        /** The events that came since the last read, oldest first. */
        List<EventRow> fresh();

        /** How often a watch reads {@link #fresh}. */
        Duration period();
    }
}
