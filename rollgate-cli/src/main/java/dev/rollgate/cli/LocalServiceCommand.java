package dev.rollgate.cli;

import picocli.CommandLine.Mixin;

/** A command about one service of the local daemon only (--state-dir); a cluster flag is refused by name. */
abstract class LocalServiceCommand extends NamedServiceCommand {

    @Mixin
    LocalDaemonOptions daemon;
}
