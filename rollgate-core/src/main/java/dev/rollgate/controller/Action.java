package dev.rollgate.controller;

import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.Template;
import java.util.List;
import java.util.Map;

/** What a pass of the controller asks the platform, the traffic router, the analysis runner or the migration gate to do. */
public sealed interface Action {

    /**
     * A group for {@code template} as revision {@code revision}; a group with the same hash that
     * exists already is re-adopted: it keeps its replicas and takes the new number.
     */
    record CreateGroup(int revision, String hash, Template template) implements Action {}

    /**
     * A group's size, with the desired and max-replicas annotations proportional scaling reads;
     * {@code remove} lists the replicas to stop first when it shrinks (not ready, then newest).
     */
    record ScaleGroup(int revision, String hash, int replicas, int desiredFor, int maxFor, List<String> remove) implements Action {
        public ScaleGroup {
            remove = List.copyOf(remove);
        }
    }

    /** An old, empty group beyond revisionHistoryLimit goes. */
    record DeleteGroup(int revision, String hash) implements Action {}

    /** Where requests go from now on. */
    record SetTraffic(TrafficPlan plan) implements Action {}

    /** Serve the preview revision on {@code port} too (0: no preview listener). */
    record SetPreviewPort(int port) implements Action {}

    /** The analysis runs that should run now, by run key; runs not listed are stopped. */
    record RunAnalyses(Map<String, AnalysisRef> runs, String stableHash, String canaryHash) implements Action {
        public RunAnalyses {
            runs = Map.copyOf(runs);
        }
    }

    /** Start the expand migrations of the template with {@code hash}; its revision stays at zero until they ran. */
    record ExpandMigrations(String hash) implements Action {}

    /**
     * What the contract gate needs from this pass: whether the rollout of {@code hash} completed
     * and is healthy, and which replicas of older revisions still run.
     */
    record ReportRollout(String hash, int revision, boolean complete, boolean healthy, List<String> olderReplicas) implements Action {
        public ReportRollout {
            olderReplicas = List.copyOf(olderReplicas);
        }
    }
}
