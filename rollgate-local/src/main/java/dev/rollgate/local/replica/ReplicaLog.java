package dev.rollgate.local.replica;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica's stdout and stderr, appended to one file that the process owns (so it outlives
 * Rollgate), capped in size by copy-and-truncate rotation into {@code .1}, {@code .2}, ….
 */
public final class ReplicaLog {

    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_BACKUPS = 3;

    private final Path file;
    private final long maxBytes;
    private final int backups;

    public ReplicaLog(Path file, long maxBytes, int backups) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.backups = backups;
    }

    public Path file() {
        return file;
    }

    /** Rotates when the file has grown past the cap. Lines written between copy and truncate may be lost. */
    public synchronized boolean rotateIfNeeded() {
        try {
            if (!Files.exists(file) || Files.size(file) <= maxBytes) return false;
            for (int i = backups - 1; i >= 1; i--) {
                Path from = backup(i);
                if (Files.exists(from)) Files.move(from, backup(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
            if (backups >= 1) Files.copy(file, backup(1), StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(0); // the process writes with O_APPEND, so its next write lands at the new end
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path backup(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** The last {@code n} non-blank lines, for messages that say why a replica exited. */
    public List<String> tail(int n) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            long from = Math.max(0, len - 8192);
            byte[] buf = new byte[(int) (len - from)];
            raf.seek(from);
            raf.readFully(buf);
            List<String> lines = new ArrayList<>(new String(buf, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList());
            return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return List.of();
        }
    }
}
