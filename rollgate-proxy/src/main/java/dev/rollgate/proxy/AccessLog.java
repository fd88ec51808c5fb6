package dev.rollgate.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The front door's access log: one JSON object per line, written by a thread of its own so an
 * event loop never waits on the disk (a line that finds the queue full is counted as dropped, not
 * waited for), rotated by size: {@code access.log} becomes {@code access.log.1} and so on.
 */
public final class AccessLog implements AutoCloseable {

    /** One request as the client saw it. */
    public record Entry(Instant time, String requestId, String host, String method, String path, int status, long bytes,
                        double durationMillis, String revision, String replica, boolean retried, String client, boolean tls) {}

    private static final JsonFactory JSON = new JsonFactory();
    private static final Entry STOP = new Entry(Instant.EPOCH, null, null, null, null, 0, 0, 0, null, null, false, null, false);

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(65_536);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;

    public AccessLog(Path file, long maxBytes, int keep) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.writer = Thread.ofPlatform().daemon(true).name("rollgate-access-log").start(this::run);
    }

    public Path file() {
        return file;
    }

    public void log(Entry e) {
        if (!queue.offer(e)) dropped.incrementAndGet();
    }

    /** Lines that found the queue full and were not written. */
    public long dropped() {
        return dropped.get();
    }

    static String line(Entry e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", e.time().toString());
            g.writeStringField("requestId", e.requestId());
            g.writeStringField("client", e.client());
            g.writeStringField("host", e.host());
            g.writeStringField("method", e.method());
            g.writeStringField("path", e.path());
            g.writeNumberField("status", e.status());
            g.writeNumberField("bytes", e.bytes());
            g.writeNumberField("durationMs", Math.round(e.durationMillis() * 1000) / 1000.0);
            g.writeStringField("revision", e.revision());
            g.writeStringField("replica", e.replica());
            g.writeBooleanField("retried", e.retried());
            g.writeBooleanField("tls", e.tls());
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return out + "\n";
    }

    private void run() {
        Writer out = null;
        long size = 0;
        try {
            while (true) {
                Entry e = queue.poll(1, TimeUnit.SECONDS);
                if (e == STOP) break;
                if (e == null) {
                    if (out != null) out.flush();
                    continue;
                }
                if (out == null || size >= maxBytes) {
                    if (out != null) out.close();
                    if (out != null || Files.exists(file) && Files.size(file) >= maxBytes) rotate();
                    if (!Files.exists(file)) createPrivate(file);
                    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    size = Files.size(file);
                }
                String line = line(e);
                out.write(line);
                size += line.length();
                if (queue.isEmpty()) out.flush();
            }
        } catch (IOException | InterruptedException ex) {
            System.err.println("rollgate: the access log " + file + " stopped: " + ex.getMessage());
        } finally {
            try {
                if (out != null) out.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /**
     * A new log file readable by its owner and group only (0640): it holds client addresses and every
     * path asked for, which not every user of the host should read.
     */
    private static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-r-----")));
        } catch (FileAlreadyExistsException raced) {
            // made meanwhile: appended to as it is
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    private void rotate() throws IOException {
        for (int i = keep - 1; i >= 1; i--) {
            Path from = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(from)) Files.move(from, file.resolveSibling(file.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.exists(file)) Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        queue.offer(STOP);
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
