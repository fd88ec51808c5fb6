package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "web,                               -,                web,             -",
            "web:v1,                            -,                web,             v1",
            "acme/web:1.4.2,                    -,                acme/web,        1.4.2",
            "ghcr.io/acme/web:1.4.2,            ghcr.io,          acme/web,        1.4.2",
            "127.0.0.1:5000/demo-web:v2,        127.0.0.1:5000,   demo-web,        v2",
            "localhost/web,                     localhost,        web,             -",
            "[::1]:5000/web:latest,             [::1]:5000,       web,             latest"})
    void readsRegistryRepositoryAndTagAsPodmanDoes(String text, String registry, String repository, String tag) {
        ImageReference r = ImageReference.parse(text);
        assertThat(r.registry()).isEqualTo(registry);
        assertThat(r.repository()).isEqualTo(repository);
        assertThat(r.tag()).isEqualTo(tag);
        assertThat(r.pinned()).isFalse();
        assertThat(r.toString()).isEqualTo(text);
    }

    @Test
    void aDigestPinsTheReferenceAndResolvingDropsTheTag() {
        ImageReference tagged = ImageReference.parse("127.0.0.1:5000/demo-web:v2");
        ImageReference pinned = tagged.withDigest(DIGEST);
        assertThat(pinned.pinned()).isTrue();
        assertThat(pinned.toString()).isEqualTo("127.0.0.1:5000/demo-web@" + DIGEST);
        assertThat(ImageReference.parse("ghcr.io/acme/web:1.4.2@" + DIGEST).digest()).isEqualTo(DIGEST);
        assertThatThrownBy(() -> tagged.withDigest("sha256:abc")).hasMessageContaining("not a sha256 digest");
    }

    @Test
    void onlyARegistryOnThisHostIsReachedOverPlainHttp() {
        for (String local : List.of("127.0.0.1:5000/web", "localhost:5000/web", "[::1]:5000/web", "127.0.0.2/web")) {
            assertThat(ImageReference.parse(local).loopbackRegistry()).as(local).isTrue();
        }
        for (String remote : List.of("ghcr.io/acme/web", "web", "registry.example:5000/web")) {
            assertThat(ImageReference.parse(remote).loopbackRegistry()).as(remote).isFalse();
        }
    }

    @Test
    void aMalformedReferenceIsRefusedNamingThePartThatIsWrong() {
        assertThat(ImageReference.problem("web@sha256:xyz")).get().asString().contains("digest \"sha256:xyz\"");
        assertThat(ImageReference.problem("Web:v1")).get().asString().contains("repository \"Web\"");
        assertThat(ImageReference.problem("web:v 1")).get().asString().contains("tag \"v 1\"");
        assertThat(ImageReference.problem("ghcr.io/:v1")).get().asString().contains("repository");
        assertThat(ImageReference.problem(" ")).get().asString().contains("empty");
        assertThat(ImageReference.problem("ghcr.io/acme/web:1.4.2")).isEmpty();
    }

    @Test
    void theSpecRefusesAMalformedImageAndATagWhereADigestIsRequired() throws Exception {
        String template = "  template: {image: %s, readinessProbe: {httpGet: {path: /}}}\n";
        assertThat(SpecParserTest.errors(SpecParserTest.HEAD + template.formatted("Web:v1")))
                .anyMatch(e -> e.toString().contains("spec.template.image") && e.toString().contains("repository \"Web\""));
        assertThat(SpecParserTest.errors(SpecParserTest.HEAD + "  requireDigest: true\n" + template.formatted("ghcr.io/acme/web:1.4.2")))
                .anyMatch(e -> e.toString().contains("spec.template.image") && e.toString().contains("has no digest"));
        Rollout pinned = SpecParser.parse(SpecParserTest.HEAD + "  requireDigest: true\n"
                + template.formatted("ghcr.io/acme/web@" + DIGEST)).getFirst();
        assertThat(pinned.spec().requireDigest()).isTrue();
        assertThat(pinned.spec().template().runsContainer()).isTrue();
        assertThat(pinned.spec().template().containerPort()).isEqualTo(8080);
    }
}
