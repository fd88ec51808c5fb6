package dev.rollgate.local.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes of one replica. Each replica runs in a session of its own ({@code setsid}), so its
 * process group holds its whole tree, even children whose parent already exited. Read from /proc.
 */
public final class ProcessGroup {

    private static final Path PROC = Path.of("/proc");

    private ProcessGroup() {}

    /** The pids whose process group is {@code pgid}. */
    public static List<Long> members(long pgid) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                groupOf(pid).filter(g -> g == pgid).ifPresent(g -> pids.add(pid));
            }
        } catch (IOException e) {
            // /proc is always there on Linux; with no /proc there is nothing we can find.
        }
        return pids;
    }

    /** The process group of {@code pid}, from field 5 of /proc/PID/stat; empty once it is gone or a zombie. */
    public static Optional<Long> groupOf(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int close = stat.lastIndexOf(')'); // the command name may itself hold spaces and parentheses
            String[] fields = stat.substring(close + 2).split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) return Optional.empty();
            return Optional.of(Long.parseLong(fields[2]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * When {@code pid} started, in clock ticks since boot (field 22 of /proc/PID/stat): with the pid,
     * it identifies one process for good, because a reused pid gets a later start time.
     */
    public static Optional<Long> startTicks(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) return Optional.empty();
            return Optional.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The environment {@code pid} was started with (empty when it cannot be read). */
    public static Map<String, String> environment(long pid) {
        Map<String, String> env = new HashMap<>();
        try {
            String raw = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ")), StandardCharsets.UTF_8);
            for (String entry : raw.split("\0", -1)) {
                int eq = entry.indexOf('=');
                if (eq > 0) env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read
        }
        return env;
    }

    /** Every pid on the machine. */
    public static List<Long> all() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) pids.add(Long.parseLong(dir.getFileName().toString()));
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return pids;
    }

    /** Whether {@code pid} and is not a zombie (a dead process its parent has not reaped yet). */
    public static boolean isRunning(long pid) {
        return groupOf(pid).isPresent();
    }

    /** SIGKILLs every member of the group, again until none is left (a member may fork meanwhile). Returns how many were killed. */
    public static int killAll(long pgid) {
        int killed = 0;
        for (int round = 0; round < 20; round++) {
            List<Long> members = members(pgid);
            if (members.isEmpty()) return killed;
            for (long pid : members) {
                if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) killed++;
            }
            waitGone(pgid, 50);
        }
        return killed;
    }

    private static void waitGone(long pgid, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end && !members(pgid).isEmpty()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
