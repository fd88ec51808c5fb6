package dev.rollgate.controller;

/** Where a service's requests go: the embedded proxy's routing table, or Services and an HTTPRoute on Kubernetes. */
public interface TrafficRouter {

    /** Routes by {@code plan} from now on; the same plan again changes nothing. */
    void route(TrafficPlan plan);

    /** Serves the preview revision on {@code port} too (0: none). */
    void previewPort(int port);
}
