package dev.rollgate.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * The commands' picocli models. The build writes {@code CompiledCommands} (src/build/CompileCommands.java),
 * which makes them without reading an annotation: the JVM makes a proxy class for each annotation type
 * read, and no start-up cache holds those. A build without it, or a command it left out, is read by
 * picocli's reflection, as before.
 */
interface CommandModels {

    /** The root command, {@code rollgate}, without its subcommands. */
    CommandSpec root();

    /** The command {@code name} with its subcommands, bound to new objects; null when it is left to picocli's reflection. */
    CommandSpec command(String name);

    /** The generated models, or null when the build made none. */
    static CommandModels compiled() {
        try {
            return (CommandModels) Class.forName("dev.rollgate.cli.CompiledCommands").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
