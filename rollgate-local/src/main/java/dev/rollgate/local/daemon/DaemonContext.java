package dev.rollgate.local.daemon;

import dev.rollgate.local.process.ProcessLauncher;
import dev.rollgate.local.replica.ValueSource;
import dev.rollgate.local.secrets.ValueStore;
import dev.rollgate.local.store.Store;
import dev.rollgate.proxy.ProxyConfig;
import java.nio.file.Path;

/**
 * What every service controller of one daemon shares: the store, where logs go, the proxies' settings, and the
 * secrets and ConfigMaps ({@code values}) with what gives them to replicas ({@code valueSource}).
 */
public record DaemonContext(Store store, Path stateDir, ProxyConfig proxyConfig, ValueStore values, ValueSource valueSource) {

    /** The environment variable that marks a replica as this daemon's (to find orphans after a crash). */
    public static final String MARKER = ProcessLauncher.DAEMON_VARIABLE;

    public Path logDir(String service) {
        return stateDir.resolve("logs").resolve(service);
    }
}
