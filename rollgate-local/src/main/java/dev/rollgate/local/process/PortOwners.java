package dev.rollgate.local.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who listens on a TCP port of this host, from Linux's {@code /proc/net/tcp{,6}} (the sockets in
 * LISTEN and their inodes) and {@code /proc/PID/fd} (which process holds those sockets): how a
 * replica's port served by another process is told from the replica itself, which probes cannot do.
 */
public final class PortOwners {

    private static final String LISTEN = "0A";

    /** The listening sockets of this host by port ({@code socket:[INODE]}), read once for a whole check. */
    private final Map<Integer, Set<String>> listening;

    private PortOwners(Map<Integer, Set<String>> listening) {
        this.listening = listening;
    }

    /** The host's listening TCP sockets now, IPv4 and IPv6. */
    public static PortOwners now() {
        Map<Integer, Set<String>> out = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length <= 9 || !f[3].equals(LISTEN)) continue;
                    int port = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                    out.computeIfAbsent(port, p -> new HashSet<>()).add("socket:[" + f[9] + "]");
                }
            } catch (IOException | RuntimeException e) {
                // no IPv6 table on this host, or a line being rewritten: the other table still answers
            }
        }
        return new PortOwners(out);
    }

    /**
     * A process outside process group {@code pgid} that listens on {@code port} while none of the group does: its pid, or -1
     * when it cannot be seen (another user's). Empty when the group listens there, or nobody does.
     */
    public Optional<Long> foreignListener(int port, long pgid) {
        Set<String> sockets = listening.getOrDefault(port, Set.of());
        if (sockets.isEmpty()) return Optional.empty();
        if (holds(Path.of("/proc", Long.toString(pgid)), sockets)) return Optional.empty();   // the group's leader listens: the usual case, one directory read
        Long foreign = null;
        for (long pid : holders(sockets)) {
            if (ProcessGroup.groupOf(pid).map(g -> g == pgid).orElse(false)) return Optional.empty();
            foreign = pid;
        }
        return Optional.of(foreign == null ? -1L : foreign);
    }

    private static Set<Long> holders(Set<String> sockets) {
        Set<Long> out = new HashSet<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path proc : procs) {
                if (holds(proc, sockets)) out.add(Long.parseLong(proc.getFileName().toString()));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Whether the process of {@code /proc/PID} has one of {@code sockets} open. */
    private static boolean holds(Path proc, Set<String> sockets) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                if (sockets.contains(String.valueOf(Files.readSymbolicLink(fd)))) return true;
            }
        } catch (IOException | RuntimeException gone) {
            // exited meanwhile, or not ours to read
        }
        return false;
    }
}
