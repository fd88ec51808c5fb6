package dev.rollgate.local.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small process that outlives Rollgate only to stop its replicas: Rollgate tells it on stdin
 * which process groups it runs ({@code add PGID GRACE_MS}, {@code del PGID}); when stdin reaches
 * end of file, Rollgate is gone (exit, crash or SIGKILL), so every group still listed gets SIGTERM
 * and, after its grace period, SIGKILL.
 */
public final class Watchdog {

    private Watchdog() {}

    public static void main(String[] args) throws IOException {
        Map<Long, Long> groups = new LinkedHashMap<>(); // pgid -> grace in ms
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.strip().split(" ");
            try {
                switch (parts[0]) {
                    case "add" -> groups.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    case "del" -> groups.remove(Long.parseLong(parts[1]));
                    default -> { }
                }
            } catch (RuntimeException malformed) {
                // a line Rollgate did not write; ignore it
            }
        }
        groups.keySet().removeIf(pgid -> ProcessGroup.members(pgid).isEmpty());
        if (groups.isEmpty()) return;
        System.err.println("rollgate watchdog: rollgate is gone; stopping " + groups.size() + " replica(s) it left running");
        long start = System.nanoTime();
        groups.keySet().forEach(pgid -> ProcessHandle.of(pgid).ifPresent(ProcessHandle::destroy));
        for (var e : groups.entrySet()) {
            long deadline = start + e.getValue() * 1_000_000;
            while (System.nanoTime() < deadline && !ProcessGroup.members(e.getKey()).isEmpty()) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    break;
                }
            }
            ProcessGroup.killAll(e.getKey());
        }
    }
}
