package dev.rollgate.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/**
 * An edit (read, change, write with the read's resourceVersion) that met another writer is done
 * again on the newer object, as kubectl does: 409 Conflict means "read again", not "fail".
 */
final class Conflicts {

    private static final int ATTEMPTS = 10;

    private Conflicts() {}

    static <T> T retry(Supplier<T> edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return edit.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= ATTEMPTS) throw e;
            }
        }
    }
}
