package dev.rollgate.local.daemon;

import dev.rollgate.local.process.PrivateFiles;
import dev.rollgate.local.process.StateDirLock;
import dev.rollgate.local.secrets.SecretKey;
import dev.rollgate.local.secrets.ValueStore;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.local.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * A daemon's state directory, opened: its owner's only (0700 / 0600), locked for one daemon, its
 * store and its sealed secrets open. A directory used before (it has a token) whose store is missing
 * or empty is refused, naming the file: starting from nothing there would take every running
 * replica for an orphan and kill it.
 */
record StateDirectory(Path dir, StateDirLock lock, Store store, ValueStore values) {

    /** Opens {@code stateDir}; the secrets' key is read from {@code secretKeyFile} (null: {@link SecretKey#where}'s default). */
    static StateDirectory open(Path stateDir, Path secretKeyFile) throws IOException {
        Path dir = stateDir.toAbsolutePath().normalize();
        PrivateFiles.directory(dir);
        Path db = DaemonFiles.database(dir);
        if (Files.exists(DaemonFiles.tokenFile(dir)) && (!Files.exists(db) || Files.size(db) == 0)) {
            throw new IOException("the state store " + db + " is " + (Files.exists(db) ? "empty" : "missing")
                    + ", but " + dir + " has been used before (it has a token): refusing to start, which would take every replica"
                    + " still running for an orphan and kill it; restore " + db.getFileName() + " from a backup, or move " + dir
                    + " away to start afresh");
        }
        StateDirLock lock = StateDirLock.take(dir.resolve("daemon.lock"), "another Rollgate daemon is running on " + dir);
        try {
            PrivateFiles.file(db);   // SQLite gives its -wal and -shm files the database file's mode
            PrivateFiles.narrow(dir.resolve("state.db-wal"));
            PrivateFiles.narrow(dir.resolve("state.db-shm"));
            if (Files.isDirectory(dir.resolve("logs"))) PrivateFiles.directory(dir.resolve("logs"));
            return new StateDirectory(dir, lock, new Store(db), new ValueStore(db, SecretKey.where(dir, secretKeyFile), secretKeyFile == null));
        } catch (SQLException | IOException | RuntimeException e) {
            lock.close();
            throw new IOException("the state store " + db + " cannot be opened: " + e.getMessage(), e);
        }
    }
}
