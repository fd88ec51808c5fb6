package dev.rollgate.local.process;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories (0700) and files (0600) that only their owner may read, whatever the umask: a
 * state directory holds the token, every service's environment (secrets included) in its store
 * and write-ahead log, and replicas' output.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents, private too) for its owner only, or takes group and others' access away from it. */
    public static Path directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) directory(parent);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } catch (FileAlreadyExistsException raced) {
                // made by another thread or process in between: its mode is set below
            }
        }
        Files.setPosixFilePermissions(dir, DIRECTORY);
        return dir;
    }

    /** Creates an empty {@code file} for its owner only, or takes group and others' access away from it. */
    public static Path file(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (FileAlreadyExistsException exists) {
            // kept as it is, with its mode narrowed below
        }
        Files.setPosixFilePermissions(file, FILE);
        return file;
    }

    /**
     * Writes {@code content} to {@code file} whole, for its owner only: into a private temporary file
     * beside it, then moved over it in one step, so a reader never sees half of it.
     */
    public static void write(Path file, String content) throws IOException {
        Path tmp = file(file.resolveSibling(file.getFileName() + ".tmp"));
        Files.writeString(tmp, content, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Narrows {@code file}'s mode when it exists. */
    public static void narrow(Path file) throws IOException {
        if (Files.exists(file)) Files.setPosixFilePermissions(file, FILE);
    }
}
