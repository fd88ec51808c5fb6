package dev.rollgate.local.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks free loopback ports for replicas. */
public final class Ports {

    private Ports() {}

    /** A port that was free on 127.0.0.1 a moment ago; the OS picks it from the ephemeral range. */
    public static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
        }
    }
}
