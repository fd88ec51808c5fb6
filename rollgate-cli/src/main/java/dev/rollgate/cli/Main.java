package dev.rollgate.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code rollgate} command. */
@Command(name = "rollgate",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Ships a new version of a running service without dropping a request.",
        subcommands = {
                UpCommand.class,
                DownCommand.class,
                ApplyCommand.class,
                DiffCommand.class,
                GetCommand.class,
                DescribeCommand.class,
                RolloutCommand.class,
                MigrateCommand.class,
                TrafficCommand.class,
                InstallCommand.class,
                EventsCommand.class,
                DashboardCommand.class,
                LogsCommand.class,
                DeleteCommand.class,
                SecretCommand.class,
                ConfigCommand.class,
                ExportCommand.class,
                StatsCommand.class,
                ValidateCommand.class,
                SchemaCommand.class,
                RunCommand.class,
                ProxyCommand.class,
                PlanCommand.class,
                LoadCommand.class,
                LintCommand.class,
                GenerateCommand.class,
                DemoCommand.class,
                OperatorCommand.class,
                DemoServiceCommand.class,
                CommandLine.HelpCommand.class,
                picocli.AutoComplete.GenerateCompletion.class,
        })
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
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
