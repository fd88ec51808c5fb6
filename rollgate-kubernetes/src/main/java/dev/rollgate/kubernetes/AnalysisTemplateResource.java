package dev.rollgate.kubernetes;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/** The {@code AnalysisTemplate} custom resource: the same document as in a spec file, found by name in the Rollout's namespace. */
@Group(RolloutResource.GROUP)
@Version(RolloutResource.VERSION)
@Kind("AnalysisTemplate")
@Plural("analysistemplates")
@Singular("analysistemplate")
public class AnalysisTemplateResource extends CustomResource<Map<String, Object>, Void> implements Namespaced {

    @Override
    protected Map<String, Object> initSpec() {
        return null;
    }

    @Override
    protected Void initStatus() {
        return null;
    }
}
