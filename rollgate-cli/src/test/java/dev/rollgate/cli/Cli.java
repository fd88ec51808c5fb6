package dev.rollgate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code rollgate} command in-process and captures what it printed. */
final class Cli {

    record Result(int exit, String out, String err) {}

    private Cli() {}

    static Result rollgate(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cli = Main.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
