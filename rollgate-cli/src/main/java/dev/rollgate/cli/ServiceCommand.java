package dev.rollgate.cli;

import picocli.CommandLine.Mixin;

/** A command about one service, on the daemon (--state-dir) or on a cluster (--kubeconfig, --context, -n). */
abstract class ServiceCommand extends NamedServiceCommand {

    @Mixin
    DaemonOptions daemon;
}
