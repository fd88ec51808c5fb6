package dev.rollgate.local.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollgate.json.Json;
import dev.rollgate.spec.ValueRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteDataSource;

/**
 * Every version of every secret and ConfigMap, in the daemon's SQLite file: a ConfigMap's data as
 * JSON, a secret's sealed with {@link SecretKey} (its keys and sizes stay readable, as
 * {@code kubectl describe secret} shows them). Versions only grow; a version stays as long as a
 * revision in some service's history names it ({@link #prune}).
 */
public final class ValueStore implements AutoCloseable {

    /** One version, as lists and histories show it: never its values. */
    public record Version(ValueRef.Kind kind, String name, int version, Instant created, Map<String, Integer> sizes) {}

    /** What a write did: {@code created} (the first version), {@code configured} (a new one) or {@code unchanged}. */
    public record Written(String name, int version, String result) {}

    private static final TypeReference<LinkedHashMap<String, String>> DATA = new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, Integer>> SIZES = new TypeReference<>() {};

    private final Connection db;
    private final Path keyFile;
    private final boolean defaultKeyFile;
    private SecretKey key;

    /** {@code keyFile}: where the key is ({@link SecretKey#where}); {@code made}: it may be made there when the first secret is. */
    public ValueStore(Path dbFile, Path keyFile, boolean made) throws SQLException {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + dbFile.toAbsolutePath());
        this.db = source.getConnection();
        this.keyFile = keyFile;
        this.defaultKeyFile = made;
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS value_versions(
                      kind TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, created INTEGER NOT NULL,
                      key_id TEXT, data BLOB NOT NULL, sizes TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
                      PRIMARY KEY(kind, name, version))""");
            // The last number given to each name: pruning and deleting never let a number be given twice.
            s.execute("CREATE TABLE IF NOT EXISTS value_numbers(kind TEXT NOT NULL, name TEXT NOT NULL, last INTEGER NOT NULL,"
                    + " PRIMARY KEY(kind, name))");
        }
    }

    /**
     * Writes {@code data} as the next version of {@code name}, unless it equals the latest.
     * {@code create}: refuse a name that exists ({@code secret create}); else refuse one that does not ({@code secret set}),
     * unless {@code upsert} (a ConfigMap document applied).
     */
    public synchronized Written put(ValueRef.Kind kind, String name, Map<String, String> data, boolean create, boolean upsert)
            throws SQLException, SecretKey.KeyException {
        Optional<Version> latest = latest(kind, name);
        if (create && latest.isPresent()) {
            throw new IllegalArgumentException(kind.word() + " " + name + " exists (version " + latest.get().version()
                    + "); use 'rollgate " + command(kind) + " set " + name + "' for a new version");
        }
        if (!create && !upsert && latest.isEmpty()) {
            throw new IllegalArgumentException("no " + kind.word() + " named " + name + "; use 'rollgate " + command(kind) + " create " + name + "'");
        }
        if (latest.isPresent() && values(kind, name, latest.get().version()).equals(data)) {
            return new Written(name, latest.get().version(), "unchanged");
        }
        int version = nextVersion(kind, name);
        byte[] plain = Json.write(data).getBytes(StandardCharsets.UTF_8);
        SecretKey k = kind == ValueRef.Kind.SECRET ? key(true) : null;
        Map<String, Integer> sizes = new LinkedHashMap<>();
        data.forEach((key, value) -> sizes.put(key, value.getBytes(StandardCharsets.UTF_8).length));
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO value_versions(kind, name, version, created, key_id, data, sizes) VALUES(?,?,?,?,?,?,?)")) {
            ps.setString(1, kind.word());
            ps.setString(2, name);
            ps.setInt(3, version);
            ps.setLong(4, Instant.now().toEpochMilli());
            ps.setString(5, k == null ? null : k.id());
            ps.setBytes(6, k == null ? plain : Sealing.seal(k, slot(kind, name, version), plain));
            ps.setString(7, Json.write(sizes));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO value_numbers(kind, name, last) VALUES(?,?,?) "
                + "ON CONFLICT(kind, name) DO UPDATE SET last=excluded.last")) {
            ps.setString(1, kind.word());
            ps.setString(2, name);
            ps.setInt(3, version);
            ps.executeUpdate();
        }
        return new Written(name, version, latest.isEmpty() ? "created" : "configured");
    }

    /** The newest version of {@code name}, unless it was deleted. */
    public synchronized Optional<Version> latest(ValueRef.Kind kind, String name) throws SQLException {
        List<Version> all = history(kind, name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** The newest version of every {@code kind} not deleted, by name. */
    public synchronized List<Version> list(ValueRef.Kind kind) throws SQLException {
        List<Version> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT DISTINCT name FROM value_versions WHERE kind=? AND deleted=0 ORDER BY name")) {
            ps.setString(1, kind.word());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) latest(kind, rs.getString(1)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The versions of {@code name} still kept, oldest first; empty once it is deleted. */
    public synchronized List<Version> history(ValueRef.Kind kind, String name) throws SQLException {
        List<Version> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT version, created, sizes FROM value_versions WHERE kind=? AND name=? AND deleted=0 ORDER BY version")) {
            ps.setString(1, kind.word());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Version(kind, name, rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2)), read(rs.getString(3), SIZES)));
                }
            }
        }
        return out;
    }

    /** The values of one version; for a secret, opened with the key (which must be the one it was sealed with). */
    public synchronized Map<String, String> values(ValueRef.Kind kind, String name, int version) throws SQLException, SecretKey.KeyException {
        try (PreparedStatement ps = db.prepareStatement("SELECT key_id, data FROM value_versions WHERE kind=? AND name=? AND version=?")) {
            ps.setString(1, kind.word());
            ps.setString(2, name);
            ps.setInt(3, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SecretKey.KeyException(kind.word() + " " + name + " has no version " + version
                            + (latest(kind, name).map(v -> " (its latest is " + v.version() + ")").orElse(" (no such " + kind.word() + ")")));
                }
                String keyId = rs.getString(1);
                byte[] data = rs.getBytes(2);
                if (keyId == null) return read(new String(data, StandardCharsets.UTF_8), DATA);
                SecretKey k = key(false);
                if (!k.id().equals(keyId)) {
                    throw new SecretKey.KeyException("secret " + name + " (version " + version + ") was sealed with another key (id " + keyId
                            + "); " + k.file() + " holds key " + k.id());
                }
                return read(new String(Sealing.open(k, slot(kind, name, version), data), StandardCharsets.UTF_8), DATA);
            }
        }
    }

    /** Marks every version of {@code name} deleted (none is listed or pinned again); returns how many there were. */
    public synchronized int delete(ValueRef.Kind kind, String name) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE value_versions SET deleted=1 WHERE kind=? AND name=? AND deleted=0")) {
            ps.setString(1, kind.word());
            ps.setString(2, name);
            return ps.executeUpdate();
        }
    }

    /**
     * Removes every version that no revision names ({@code inUse}: {@code kind/name/version}), except the newest of a
     * name not deleted; returns how many went.
     */
    public synchronized int prune(Set<String> inUse) throws SQLException {
        List<String[]> drop = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT v.kind, v.name, v.version, v.deleted, (SELECT MAX(version) FROM value_versions w WHERE w.kind=v.kind AND w.name=v.name) "
                        + "FROM value_versions v")) {
            while (rs.next()) {
                boolean latestLive = rs.getInt(4) == 0 && rs.getInt(3) == rs.getInt(5);
                if (!latestLive && !inUse.contains(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getInt(3))) {
                    drop.add(new String[] {rs.getString(1), rs.getString(2), Integer.toString(rs.getInt(3))});
                }
            }
        }
        for (String[] d : drop) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM value_versions WHERE kind=? AND name=? AND version=?")) {
                ps.setString(1, d[0]);
                ps.setString(2, d[1]);
                ps.setInt(3, Integer.parseInt(d[2]));
                ps.executeUpdate();
            }
        }
        return drop.size();
    }

    /** What is wrong with the key for the sealed secrets kept, if anything (said at the daemon's start). */
    public synchronized Optional<String> keyProblem() throws SQLException {
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT DISTINCT key_id, name FROM value_versions WHERE key_id IS NOT NULL ORDER BY name")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
                if (!names.contains(rs.getString(2))) names.add(rs.getString(2));
            }
        }
        if (ids.isEmpty()) return Optional.empty();
        try {
            SecretKey k = key(false);
            List<String> others = ids.stream().filter(id -> !id.equals(k.id())).distinct().toList();
            if (others.isEmpty()) return Optional.empty();
            return Optional.of(k.file() + " holds key " + k.id() + ", but secrets were sealed with key " + String.join(", ", others)
                    + "; replicas that need secret " + String.join(", ", names) + " will not start until the right key is given");
        } catch (SecretKey.KeyException e) {
            return Optional.of(e.getMessage() + "; replicas that need secret " + String.join(", ", names)
                    + " will not start until it is given (rollgate up --secret-key-file FILE); the secrets themselves are kept");
        }
    }

    private SecretKey key(boolean mayCreate) throws SecretKey.KeyException {
        if (key == null) key = mayCreate && defaultKeyFile && !anySealed() ? SecretKey.readOrCreate(keyFile) : SecretKey.read(keyFile);
        return key;
    }

    private boolean anySealed() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM value_versions WHERE key_id IS NOT NULL LIMIT 1")) {
            return rs.next();
        } catch (SQLException e) {
            return true;
        }
    }

    /** The number the next version of {@code name} will have (versions are never reused, even after a delete). */
    public synchronized int nextVersion(ValueRef.Kind kind, String name) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT MAX(COALESCE((SELECT MAX(version) FROM value_versions WHERE kind=?1 AND name=?2), 0),"
                + " COALESCE((SELECT last FROM value_numbers WHERE kind=?1 AND name=?2), 0))")) {
            ps.setString(1, kind.word());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.getInt(1) + 1;
            }
        }
    }

    private static String slot(ValueRef.Kind kind, String name, int version) {
        return kind.word() + " " + name + " (version " + version + ")";
    }

    static String command(ValueRef.Kind kind) {
        return kind == ValueRef.Kind.SECRET ? "secret" : "config";
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("a stored value version does not read back: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at shutdown: nothing to keep
        }
    }
}
