package dev.rollgate.kubernetes;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * The {@code Rollout} custom resource ({@code rollouts.rollgate.dev}, v1alpha1): its spec is the
 * spec Rollgate parses everywhere, kept as written; its status is the controller's (see {@link ClusterStatus}).
 */
@Group(RolloutResource.GROUP)
@Version(RolloutResource.VERSION)
@Kind("Rollout")
@Plural("rollouts")
@Singular("rollout")
@ShortNames("rgro")
public class RolloutResource extends CustomResource<Map<String, Object>, Map<String, Object>> implements Namespaced {

    public static final String GROUP = "rollgate.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    @Override
    protected Map<String, Object> initSpec() {
        return null;
    }

    @Override
    protected Map<String, Object> initStatus() {
        return null;
    }
}
