package dev.rollgate.local.daemon;

import dev.rollgate.local.process.ProcessLauncher;
import dev.rollgate.proxy.ProxyConfig;
import java.nio.file.Path;

/** What every service controller of one daemon shares: the store, where logs go, and the proxies' settings. */
record DaemonContext(Store store, Path stateDir, ProxyConfig proxyConfig) {

    /** The environment variable that marks a replica as this daemon's (to find orphans after a crash). */
    static final String MARKER = ProcessLauncher.DAEMON_VARIABLE;

    Path logDir(String service) {
        return stateDir.resolve("logs").resolve(service);
    }
}
