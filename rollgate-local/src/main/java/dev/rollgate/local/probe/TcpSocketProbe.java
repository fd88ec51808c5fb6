package dev.rollgate.local.probe;

import dev.rollgate.spec.Handler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** The kubelet's TCP probe: success when the port accepts a connection, even if it is closed at once. */
public final class TcpSocketProbe {

    private TcpSocketProbe() {}

    public static ProbeResult run(Handler.TcpSocket tcp, ProbeTarget target, Duration timeout) {
        int port = tcp.port() == null ? target.port() : tcp.port();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(tcp.host(), port), (int) timeout.toMillis());
            return ProbeResult.success("TCP probe connected to " + tcp.host() + ":" + port);
        } catch (IOException e) {
            return ProbeResult.failure("TCP probe to " + tcp.host() + ":" + port + " failed: " + e.getMessage());
        }
    }
}
