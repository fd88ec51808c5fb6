package dev.rollgate.local.secrets;

import dev.rollgate.local.process.PrivateFiles;
import dev.rollgate.local.replica.ValueSource;
import dev.rollgate.spec.KeyRef;
import dev.rollgate.spec.Template;
import dev.rollgate.spec.ValueRef;
import dev.rollgate.spec.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The daemon's {@link ValueSource}: values read (and secrets opened) from the {@link ValueStore} at
 * the pinned versions, at each start; volume files under {@code /dev/shm/rollgate-ID/REPLICA/VOLUME/KEY}
 * (memory, never a disk, as the kubelet's tmpfs for secret volumes; ID names the state directory),
 * 0600 in 0700 directories, removed when the replica ends.
 */
public final class ReplicaValues implements ValueSource {

    private final ValueStore store;
    private final Path root;

    public ReplicaValues(ValueStore store, Path stateDir) {
        this.store = store;
        this.root = root(stateDir);
    }

    /** {@code /dev/shm/rollgate-ID}, or {@code DIR/run/values} on a host without {@code /dev/shm}. */
    static Path root(Path stateDir) {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm)) return stateDir.resolve("run").resolve("values");
        return shm.resolve("rollgate-" + SecretKey.idOf(stateDir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Resolved resolve(Template template, String replica) throws ValueException {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, KeyRef> e : template.valueFrom().entrySet()) {
            KeyRef ref = e.getValue();
            String value = values(ref.source()).get(ref.key());
            if (value == null) throw new ValueException(ref.source() + " has no key \"" + ref.key() + "\" (env " + e.getKey() + ")");
            env.put(e.getKey(), value);
        }
        List<Mount> mounts = new ArrayList<>();
        try {
            for (Volume v : template.volumes()) {
                Path dir = PrivateFiles.directory(root.resolve(replica).resolve(v.name()));
                for (Map.Entry<String, String> file : values(v.source()).entrySet()) {
                    PrivateFiles.write(dir.resolve(file.getKey()), file.getValue());
                }
                mounts.add(new Mount(v.directoryVariable(), dir, v.mountPath()));
            }
        } catch (IOException e) {
            release(replica);
            throw new ValueException("cannot write the replica's volume files under " + root + ": " + e.getMessage());
        }
        return new Resolved(env, mounts);
    }

    private Map<String, String> values(ValueRef source) throws ValueException {
        try {
            return store.values(source.kind(), source.name(), source.version());
        } catch (SecretKey.KeyException e) {
            throw new ValueException(source + " cannot be read: " + e.getMessage());
        } catch (SQLException e) {
            throw new ValueException(source + " cannot be read from the store: " + e.getMessage());
        }
    }

    @Override
    public void release(String replica) {
        Path dir = root.resolve(replica);
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            // left for the next start of this replica to overwrite; the directory stays private (0700)
        }
    }
}
