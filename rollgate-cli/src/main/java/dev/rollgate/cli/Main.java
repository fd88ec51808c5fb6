package dev.rollgate.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code rollgate} command. */
@Command(name = "rollgate",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Ships a new version of a running service without dropping a request.")
public final class Main {

    public static void main(String[] args) {
        int code = commandLine(args).execute(args);
        // A command that succeeded and left no thread running ends by returning: System.exit logs the exit
        // through System.Logger, whose first use searches the class path for a LoggerFinder and so opens
        // the jar (23,000 entries, 20 ms) that the start-up cache spared until then.
        if (code != 0 || !onlyThreadLeft()) System.exit(code);
    }

    /** Whether the calling thread is the last one that keeps the JVM alive (every other platform thread is a daemon). */
    static boolean onlyThreadLeft() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            if (threads[i] != Thread.currentThread() && !threads[i].isDaemon() && threads[i].isAlive()) return false;
        }
        return n < threads.length;
    }

    /** The commands' models: generated at build time when the build could, else read from the annotations. */
    private static final CommandModels MODELS = CommandModels.compiled();

    /** The whole tree: what {@code --help}, {@code help}, completion and an unknown name need. */
    static CommandLine commandLine() {
        CommandLine cli = root();
        Commands.ALL.forEach((name, type) -> cli.addSubcommand(name, model(name, type)));
        return configured(cli);
    }

    /**
     * The tree {@code args} need: the root and the one command they name when they start with a
     * command's name, the root alone for {@code --version}, and the whole tree otherwise (and for the
     * commands that read it: help and completion).
     */
    static CommandLine commandLine(String... args) {
        String first = args.length == 0 ? "" : args[0];
        if (first.equals("--version") || first.equals("-V")) return configured(root());
        Class<?> command = Commands.ALL.get(first);
        if (command == null || Commands.READ_THE_TREE.contains(first)) return commandLine();
        CommandLine cli = root();
        cli.addSubcommand(first, model(first, command));
        return configured(cli);
    }

    private static CommandLine root() {
        return new CommandLine(MODELS == null ? new Main() : MODELS.root(), CommandFactory.INSTANCE);
    }

    /** A command's compiled model, else its class (picocli reads its annotations). */
    private static Object model(String name, Class<?> type) {
        Object compiled = MODELS == null ? null : MODELS.command(name);
        return compiled == null ? type : compiled;
    }

    private static CommandLine configured(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException c) {
                commandLine.getErr().println("rollgate: " + c.getMessage());
                c.details().forEach(d -> commandLine.getErr().println("  " + d));
                commandLine.getErr().flush();
                return 1;
            }
            if (e instanceof KubernetesClientException k) {
                commandLine.getErr().println("rollgate: " + Clusters.problem(k));
                commandLine.getErr().flush();
                return 1;
            }
            // Bad input is reported by the commands themselves; whatever reaches here is unexpected.
            commandLine.getErr().println("rollgate: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (System.getenv("ROLLGATE_DEBUG") != null) e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rollgate " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
