package dev.rollgate.cli;

import picocli.CommandLine.Command;

/** {@code rollgate config}: ConfigMaps made from the command line (a ConfigMap document in a spec file is the other way). */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"ConfigMaps, versioned with each revision (here, or a ConfigMap document in an applied file).",
                "A template reads them by env[].valueFrom.configMapKeyRef or a volume."},
        subcommands = {SourceCommands.Create.class, SourceCommands.Set.class, SourceCommands.List_.class, SourceCommands.History.class,
                SourceCommands.Delete.class})
final class ConfigCommand implements SourceCommands.Parent {

    @Override
    public String collection() {
        return "configmaps";
    }

    @Override
    public String noun() {
        return "configmap";
    }
}
