package dev.rollgate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunningImagesTest {

    @Test
    void theDigestOfAPodsImageIdWhateverTheRuntimeCallsIt() {
        String digest = "sha256:" + "cd".repeat(32);
        assertThat(RunningImages.digest("docker-pullable://registry.example/web@" + digest)).isEqualTo("registry.example/web@" + digest);
        assertThat(RunningImages.digest("registry.example/web@" + digest)).isEqualTo("registry.example/web@" + digest);
        assertThat(RunningImages.digest("sha256:" + "cd".repeat(32))).as("an image id names no repository").isNull();
        assertThat(RunningImages.digest(null)).isNull();
    }
}
