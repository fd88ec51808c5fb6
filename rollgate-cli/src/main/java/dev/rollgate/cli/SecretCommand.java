package dev.rollgate.cli;

import picocli.CommandLine.Command;

/** {@code rollgate secret}: values a replica reads from its environment or files, sealed at rest, versioned with the revisions. */
@Command(name = "secret", mixinStandardHelpOptions = true,
        description = {"Secrets: sealed at rest, versioned with each revision, given to replicas only.",
                "AES-256-GCM with a key in DIR/secret.key (or up --secret-key-file). A template reads them by",
                "env[].valueFrom.secretKeyRef or a volume; a value is never shown."},
        subcommands = {SourceCommands.Create.class, SourceCommands.Set.class, SourceCommands.List_.class, SourceCommands.History.class,
                SourceCommands.Delete.class})
final class SecretCommand implements SourceCommands.Parent {

    @Override
    public String collection() {
        return "secrets";
    }

    @Override
    public String noun() {
        return "secret";
    }
}
