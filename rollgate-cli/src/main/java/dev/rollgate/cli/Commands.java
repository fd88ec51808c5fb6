package dev.rollgate.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Every command of {@code rollgate}, by name, in the order {@code --help} lists them. picocli reads a
 * command's annotations by reflection when it joins the tree (about 0.1 s for the whole tree on a
 * 2-core machine), so a run joins only the command it names ({@link Main#commandLine(String...)}).
 * Each name is the one on the class's {@code @Command}; {@code CommandsTest} holds them equal.
 */
final class Commands {

    static final Map<String, Class<?>> ALL = all();

    /** The commands that read the whole tree: they never run on a tree of one. */
    static final Set<String> READ_THE_TREE = Set.of("help", "generate-completion");

    private Commands() {}

    private static Map<String, Class<?>> all() {
        var all = new LinkedHashMap<String, Class<?>>();
        all.put("up", UpCommand.class);
        all.put("down", DownCommand.class);
        all.put("apply", ApplyCommand.class);
        all.put("diff", DiffCommand.class);
        all.put("get", GetCommand.class);
        all.put("describe", DescribeCommand.class);
        all.put("rollout", RolloutCommand.class);
        all.put("migrate", MigrateCommand.class);
        all.put("traffic", TrafficCommand.class);
        all.put("install", InstallCommand.class);
        all.put("events", EventsCommand.class);
        all.put("dashboard", DashboardCommand.class);
        all.put("logs", LogsCommand.class);
        all.put("delete", DeleteCommand.class);
        all.put("secret", SecretCommand.class);
        all.put("config", ConfigCommand.class);
        all.put("export", ExportCommand.class);
        all.put("stats", StatsCommand.class);
        all.put("validate", ValidateCommand.class);
        all.put("schema", SchemaCommand.class);
        all.put("run", RunCommand.class);
        all.put("proxy", ProxyCommand.class);
        all.put("plan", PlanCommand.class);
        all.put("load", LoadCommand.class);
        all.put("lint", LintCommand.class);
        all.put("generate", GenerateCommand.class);
        all.put("demo", DemoCommand.class);
        all.put("operator", OperatorCommand.class);
        all.put("demo-service", DemoServiceCommand.class);
        all.put("help", CommandLine.HelpCommand.class);
        all.put("generate-completion", AutoComplete.GenerateCompletion.class);
        return Collections.unmodifiableMap(all);
    }
}
