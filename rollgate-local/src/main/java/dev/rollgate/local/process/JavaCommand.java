package dev.rollgate.local.process;

import dev.rollgate.proxy.Transport;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The command that starts another JVM like this one: the same java, class path and the launcher's flags that matter. */
public final class JavaCommand {

    private JavaCommand() {}

    /** This JVM's java and class path, with {@code flags} and the flags the launcher gave it that a child needs too. */
    public static List<String> current(String... flags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc-unsafe-memory-access")
                    || arg.startsWith("-D" + Transport.PROPERTY + "=")) cmd.add(arg); // proxies keep the chosen transport
        }
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return cmd;
    }
}
