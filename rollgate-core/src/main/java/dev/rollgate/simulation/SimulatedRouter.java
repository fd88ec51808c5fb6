package dev.rollgate.simulation;

import dev.rollgate.controller.TrafficPlan;
import dev.rollgate.controller.TrafficRouter;

/** A traffic router that only remembers what it was told: the plan and the preview port. */
public final class SimulatedRouter implements TrafficRouter {

    private TrafficPlan plan = TrafficPlan.BY_READINESS;
    private int previewPort;

    @Override
    public void route(TrafficPlan p) {
        plan = p;
    }

    @Override
    public void previewPort(int port) {
        previewPort = port;
    }

    public TrafficPlan plan() {
        return plan;
    }

    public int previewPort() {
        return previewPort;
    }
}
