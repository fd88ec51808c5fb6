package dev.rollgate.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.rollout.Revisions.Revision;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.SpecParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyPreviewTest {

    private static RolloutSpec spec(int replicas, String version, String env) throws Exception {
        return SpecParser.parse("""
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: %d
                  template:
                    version: %s
                    command: [java, -jar, web.jar]
                    env: {%s}
                """.formatted(replicas, version, env)).getFirst().spec();
    }

    private static Revision revision(int n, RolloutSpec spec) {
        return new Revision(n, TemplateHash.of(spec.template()));
    }

    @Test
    void aNewServiceIsCreatedAndAnUnchangedOneChangesNothing() throws Exception {
        RolloutSpec v1 = spec(4, "v1", "");
        assertThat(ApplyPreview.of("web", null, v1, List.of()))
                .isEqualTo(new ApplyPreview("web", "created", List.of(), "revision 1 (v1) starts with 4 replica(s)"));
        assertThat(ApplyPreview.of("web", v1, spec(4, "v1", ""), List.of(revision(1, v1))))
                .isEqualTo(new ApplyPreview("web", "unchanged", List.of(), "nothing changes"));
    }

    @Test
    void aScaleKeepsTheTemplateAndANewTemplateRollsOutAsTheNextRevision() throws Exception {
        RolloutSpec v1 = spec(4, "v1", "");
        ApplyPreview scale = ApplyPreview.of("web", v1, spec(6, "v1", ""), List.of(revision(1, v1)));
        assertThat(scale.result()).isEqualTo("configured");
        assertThat(scale.rollout()).isEqualTo("the same template: no new revision");
        assertThat(scale.changes()).extracting(Object::toString).containsExactly("spec.replicas: 4 -> 6");

        ApplyPreview v2 = ApplyPreview.of("web", v1, spec(4, "v2", "GREETING: hi"), List.of(revision(1, v1)));
        assertThat(v2.rollout()).isEqualTo("revision 2 (v2) rolls out by RollingUpdate (maxSurge 25%, maxUnavailable 25%)");
        assertThat(v2.changes()).extracting(Object::toString)
                .containsExactly("spec.template.env.GREETING: (none) -> \"hi\"", "spec.template.version: \"v1\" -> \"v2\"");
    }

    @Test
    void aCommandThatGrowsIsShownWholeAndOneThatKeepsItsLengthItemByItem() throws Exception {
        RolloutSpec v1 = spec(4, "v1", "");
        RolloutSpec longer = SpecParser.parse("""
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 4
                  template: {version: v1, command: [java, -Xmx1g, -jar, web.jar]}
                """).getFirst().spec();
        assertThat(ApplyPreview.of("web", v1, longer, List.of(revision(1, v1))).changes()).extracting(Object::toString)
                .containsExactly("spec.template.command: [\"java\",\"-jar\",\"web.jar\"] -> [\"java\",\"-Xmx1g\",\"-jar\",\"web.jar\"]");
        RolloutSpec other = SpecParser.parse("""
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 4
                  template: {version: v1, command: [java, -jar, api.jar]}
                """).getFirst().spec();
        assertThat(ApplyPreview.of("web", v1, other, List.of(revision(1, v1))).changes()).extracting(Object::toString)
                .containsExactly("spec.template.command[2]: \"web.jar\" -> \"api.jar\"");
    }

    @Test
    void theTemplateOfAnOlderRevisionComesBackAsTheNextRevision() throws Exception {
        RolloutSpec v1 = spec(4, "v1", ""), v2 = spec(4, "v2", "");
        ApplyPreview back = ApplyPreview.of("web", v2, spec(4, "v1", ""), List.of(revision(1, v1), revision(2, v2)));
        assertThat(back.rollout()).startsWith("the template of revision 1 comes back as revision 3 (v1) by RollingUpdate");
        assertThat(back.changes()).extracting(Object::toString).containsExactly("spec.template.version: \"v2\" -> \"v1\"");
    }
}
