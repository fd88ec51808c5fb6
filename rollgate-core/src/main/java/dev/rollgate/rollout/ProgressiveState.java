package dev.rollgate.rollout;

import java.time.Instant;

/**
 * Where a canary or blue-green rollout stands, kept with the service's status. Revisions are
 * named by template hash, which survives re-adoption and restarts.
 *
 * @param stableHash    the revision users are on (canary: stable; blue-green: active before the switch)
 * @param canaryHash    the revision being rolled out, or null when there is none
 * @param stepIndex     canary: the current step (steps.size() once all are done); blue-green: 0 preview,
 *                      1 promoting (preview scaled to full), 2 switched (post-promotion analysis)
 * @param promoteFull   skip every remaining step and analysis (promote --full, restart)
 * @param pauseReason   CanaryPauseStep, BlueGreenPause or InconclusiveAnalysisRun; null when not paused
 * @param scaleDownHash the previous stable, kept running until {@code scaleDownAt} after a promotion
 * @param runGeneration bumped by retry and by promote past an analysis, so that analysis runs start afresh
 * @param baking        the previous stable ({@code scaleDownHash}) is kept warm until {@code scaleDownAt} while the bake judges stable
 */
public record ProgressiveState(String stableHash, String canaryHash, int stepIndex, Instant stepStarted, String pauseReason,
                               Instant pausedAt, boolean promoteFull, boolean aborted, String abortMessage, Instant abortedAt,
                               String scaleDownHash, Instant scaleDownAt, Instant previewAvailableSince, int runGeneration,
                               boolean baking) {

    public static final ProgressiveState NONE = new ProgressiveState(null, null, 0, null, null, null, false, false, null, null,
            null, null, null, 0, false);

    public boolean paused() {
        return pauseReason != null;
    }

    /** A new rollout of {@code hash} against the current stable, from the first step. */
    ProgressiveState start(String hash, Instant now) {
        return new ProgressiveState(stableHash, hash, 0, now, null, null, false, false, null, null, scaleDownHash, scaleDownAt, null,
                runGeneration + 1, false);
    }

    /** Nothing to roll out: {@code hash} is (again) what users get. */
    ProgressiveState settled(String hash) {
        return new ProgressiveState(hash, null, 0, null, null, null, false, false, null, null, scaleDownHash, scaleDownAt, null,
                runGeneration, baking);
    }

    /** The canary became stable; the old stable keeps its replicas until {@code until}. */
    ProgressiveState promoted(Instant until) {
        return new ProgressiveState(canaryHash, null, 0, null, null, null, false, false, null, null, stableHash, until, null, runGeneration, false);
    }

    /** The canary became stable and the bake begins: the old stable stays warm, out of routing, until {@code until}. */
    ProgressiveState baked(Instant until) {
        ProgressiveState p = promoted(until);
        return new ProgressiveState(p.stableHash, null, 0, null, null, null, false, false, null, null, p.scaleDownHash, until, null,
                runGeneration, true);
    }

    /**
     * The bake failed or was undone: the warm previous revision is stable again; the baked one keeps its replicas,
     * out of routing, until {@code until}.
     */
    ProgressiveState bakeRolledBack(Instant until) {
        return new ProgressiveState(scaleDownHash, null, 0, null, null, null, false, false, null, null, stableHash, until, null,
                runGeneration + 1, false);
    }

    /** {@code rollout promote} during a bake, or a bake over: the previous revision may go. */
    public ProgressiveState bakeEnded() {
        return baking ? withoutScaleDown() : this;
    }

    ProgressiveState step(int index, Instant now) {
        return new ProgressiveState(stableHash, canaryHash, index, now, null, null, promoteFull, aborted, abortMessage, abortedAt,
                scaleDownHash, scaleDownAt, previewAvailableSince, runGeneration, baking);
    }

    ProgressiveState pause(String reason, Instant now) {
        return new ProgressiveState(stableHash, canaryHash, stepIndex, stepStarted, reason, now, promoteFull, aborted, abortMessage,
                abortedAt, scaleDownHash, scaleDownAt, previewAvailableSince, runGeneration, baking);
    }

    ProgressiveState previewAvailable(Instant since) {
        return new ProgressiveState(stableHash, canaryHash, stepIndex, stepStarted, pauseReason, pausedAt, promoteFull, aborted,
                abortMessage, abortedAt, scaleDownHash, scaleDownAt, since, runGeneration, baking);
    }

    ProgressiveState withoutScaleDown() {
        return new ProgressiveState(stableHash, canaryHash, stepIndex, stepStarted, pauseReason, pausedAt, promoteFull, aborted,
                abortMessage, abortedAt, null, null, previewAvailableSince, runGeneration, false);
    }

    /** {@code rollout abort}, a failed analysis or the progress deadline: all traffic back to stable. */
    public ProgressiveState abort(String message, Instant now) {
        if (canaryHash == null || aborted) return this;
        return new ProgressiveState(stableHash, canaryHash, stepIndex, stepStarted, null, null, false, true, message, now,
                scaleDownHash, scaleDownAt, previewAvailableSince, runGeneration, baking);
    }

    /** {@code rollout retry}: an aborted rollout starts again from its first step. */
    public ProgressiveState retry(Instant now) {
        if (!aborted) return this;
        return new ProgressiveState(stableHash, canaryHash, 0, now, null, null, false, false, null, null, scaleDownHash, scaleDownAt,
                null, runGeneration + 1, baking);
    }

    /**
     * {@code rollout restart}: the same program with a new restart stamp needs no canary steps or
     * analysis; it comes up in full beside stable and takes over at once.
     */
    public ProgressiveState restart(String hash, int step, Instant now) {
        ProgressiveState started = start(hash, now);
        return new ProgressiveState(stableHash, hash, step, now, null, null, true, false, null, null, null, null, null,
                started.runGeneration(), false);
    }

    /**
     * {@code rollout promote}: on to step {@code next} (past a pause, an analysis, the wait for
     * manual promotion); with {@code full}, every remaining analysis is skipped as well.
     */
    public ProgressiveState promote(boolean full, int next, Instant now) {
        if (canaryHash == null || aborted) return this;
        return new ProgressiveState(stableHash, canaryHash, next, now, null, null, full || promoteFull, false, null, null,
                scaleDownHash, scaleDownAt, previewAvailableSince, runGeneration + 1, baking);
    }
}
