package dev.rollgate.local.probe;

import dev.rollgate.spec.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The kubelet's HTTP probe: one GET on a fresh connection (no keep-alive), success for a status
 * from 200 to 399, failure for anything else including a refused connection or a timeout.
 */
public final class HttpGetProbe {

    public static final String USER_AGENT = "rollgate-probe/0.1";
    private static final int MAX_STATUS_LINE = 1024;

    private HttpGetProbe() {}

    public static ProbeResult run(Handler.HttpGet get, ProbeTarget target, Duration timeout) {
        int port = get.port() == null ? target.port() : get.port();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(get.host(), port), millisLeft(deadline));
            socket.setSoTimeout(millisLeft(deadline));
            StringBuilder request = new StringBuilder()
                    .append("GET ").append(get.path()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(get.host()).append(':').append(port).append("\r\n")
                    .append("User-Agent: ").append(USER_AGENT).append("\r\n")
                    .append("Accept: */*\r\n")
                    .append("Connection: close\r\n");
            for (Handler.HttpHeader h : get.httpHeaders()) {
                request.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String statusLine = readStatusLine(socket.getInputStream(), deadline, socket);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !threeDigits(parts[1])) {
                return ProbeResult.failure("HTTP probe got a malformed response: " + abbreviate(statusLine));
            }
            int status = Integer.parseInt(parts[1]);
            String what = "HTTP probe " + get.path() + " on port " + port + " returned " + status;
            return status >= 200 && status < 400 ? ProbeResult.success(what) : ProbeResult.failure(what);
        } catch (SocketTimeoutException e) {
            return ProbeResult.failure("HTTP probe " + get.path() + " on port " + port + " timed out after "
                    + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return ProbeResult.failure("HTTP probe " + get.path() + " on port " + port + " failed: " + e.getMessage());
        }
    }

    /**
     * The response's first line, read in blocks (a read per byte would be a system call and a wake-up of the
     * poller each: most of a probe's cost once many replicas are probed every second).
     */
    private static String readStatusLine(InputStream in, long deadline, Socket socket) throws IOException {
        byte[] buffer = new byte[MAX_STATUS_LINE];
        int length = 0;
        while (length < buffer.length) {
            socket.setSoTimeout(millisLeft(deadline));
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) break;
            for (int i = length; i < length + n; i++) {
                if (buffer[i] == '\n') return line(buffer, i);
            }
            length += n;
        }
        if (length == 0) throw new IOException("connection closed before a response");
        return line(buffer, length);
    }

    private static String line(byte[] buffer, int end) {
        int n = end > 0 && buffer[end - 1] == '\r' ? end - 1 : end;
        return new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static boolean threeDigits(String s) {
        return s.length() == 3 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw new SocketTimeoutException();
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
