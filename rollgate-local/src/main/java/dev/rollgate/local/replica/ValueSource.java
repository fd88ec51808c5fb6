package dev.rollgate.local.replica;

import dev.rollgate.spec.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a template reads from secrets and ConfigMaps, put in place for one start of one replica: the
 * values of its {@code valueFrom} variables, and its volumes' files in a private directory that
 * goes when the replica ends. The values exist only here and in the replica.
 */
public interface ValueSource {

    /** A volume's files on this host, and where the replica sees them. */
    record Mount(String variable, Path directory, String mountPath) {}

    /** The variables' values and the mounts of one start. */
    record Resolved(Map<String, String> env, List<Mount> mounts) {

        /** {@code template} with the values in its environment; a process is told each mount's directory in its variable. */
        Template applyTo(Template template) {
            Template t = template;
            for (var v : env.entrySet()) t = t.withEnv(v.getKey(), v.getValue());
            if (!t.runsContainer()) {
                for (var m : mounts) t = t.withEnv(m.variable(), m.directory().toString());
            }
            return t;
        }
    }

    /** The values the template pins, or a {@link ValueException} naming the secret or ConfigMap that cannot be given. */
    Resolved resolve(Template template, String replica) throws ValueException;

    /** Removes the replica's files: it has ended. */
    void release(String replica);

    /** For templates that read no secret and no ConfigMap. */
    ValueSource NONE = new ValueSource() {
        @Override
        public Resolved resolve(Template template, String replica) throws ValueException {
            if (!template.sources().isEmpty()) {
                throw new ValueException(template.sources().getFirst() + " cannot be read: only the daemon holds secrets and ConfigMaps");
            }
            return new Resolved(Map.of(), List.of());
        }

        @Override
        public void release(String replica) {}
    };

    /** A source the template names cannot be given to the replica (missing, or its key is wrong): a failed start. */
    final class ValueException extends Exception {
        public ValueException(String message) {
            super(message);
        }
    }
}
