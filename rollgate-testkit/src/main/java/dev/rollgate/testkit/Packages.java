package dev.rollgate.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Debian packages an end-to-end test runs (hey, pebble, chromium, prometheus), installed by the project's own script. */
public final class Packages {

    private Packages() {}

    /**
     * Installs what is missing of {@code names} with {@code scripts/ensure-packages.sh} (found from the module's
     * directory or the project's), or fails naming the command a person would run.
     */
    public static void ensure(String... names) {
        Path script = Path.of("../scripts/ensure-packages.sh").toAbsolutePath().normalize();
        if (!Files.isExecutable(script)) script = Path.of("scripts/ensure-packages.sh").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(names));
        String what = String.join(" ", names);
        try {
            Process install = new ProcessBuilder(command).inheritIO().start();
            if (!install.waitFor(600, TimeUnit.SECONDS)) {
                install.destroyForcibly();
                throw new IllegalStateException("scripts/ensure-packages.sh " + what + " did not finish in 10 minutes");
            }
            if (install.exitValue() != 0) {
                throw new IllegalStateException("scripts/ensure-packages.sh " + what + " failed with exit code " + install.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run scripts/ensure-packages.sh " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + what, e);
        }
    }
}
