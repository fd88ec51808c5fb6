package dev.rollgate.local.frontdoor;

import dev.rollgate.local.dataplane.DataPlaneProtocol;
import dev.rollgate.local.frontdoor.FrontDoorSettings;
import dev.rollgate.proxy.Compression;
import dev.rollgate.proxy.OutlierDetection;
import dev.rollgate.proxy.ServiceLimits;
import dev.rollgate.proxy.UpstreamProtocol;
import dev.rollgate.proxy.frontdoor.Certificates;
import dev.rollgate.proxy.frontdoor.FrontDoorRoutes;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the front door is, from the services' specs and the daemon's settings: routes, certificates, limits. */
public final class FrontDoorPlan {

    /** One applied service: its spec and the directory its paths are relative to. */
    public record Service(String name, RolloutSpec spec, Path baseDir) {}

    private FrontDoorPlan() {}

    static List<FrontDoorRoutes.Route> routes(List<Service> services) {
        List<FrontDoorRoutes.Route> out = new ArrayList<>();
        for (Service s : services) {
            ServiceSpec sv = s.spec().service();
            if (sv == null || !sv.onFrontDoor()) continue;
            out.add(new FrontDoorRoutes.Route(s.name(), sv.hosts(), sv.pathPrefix(), sv.stripPrefix(), sv.httpsRedirect(), sv.hsts().toSeconds()));
        }
        return out;
    }

    public static List<String> conflicts(List<Service> services) {
        return FrontDoorRoutes.conflicts(routes(services));
    }

    /** The files a spec names for the front door (certificates, error pages) that cannot be read. */
    public static List<String> unreadable(Rollout r, Path baseDir) {
        ServiceSpec sv = r.spec().service();
        List<String> out = new ArrayList<>();
        if (sv == null) return out;
        if (sv.tls() != null && !sv.tls().acme()) {
            check(baseDir.resolve(sv.tls().certFile()), "spec.service.tls.certFile", out);
            check(baseDir.resolve(sv.tls().keyFile()), "spec.service.tls.keyFile", out);
        }
        sv.errorPages().forEach((code, file) -> check(baseDir.resolve(file), "spec.service.errorPages." + code, out));
        return out;
    }

    private static void check(Path f, String field, List<String> out) {
        if (!Files.isReadable(f)) out.add(field + ": cannot read " + f);
    }

    public static ServiceLimits limits(ServiceSpec sv, Path baseDir) {
        Map<Integer, String> pages = new TreeMap<>();
        sv.errorPages().forEach((code, file) -> {
            try {
                pages.put(Integer.parseInt(code), Files.readString(baseDir.resolve(file)));
            } catch (IOException | NumberFormatException e) {
                // refused at apply; a file removed since leaves the plain page
            }
        });
        var o = sv.outlierDetection();
        var c = sv.compression();
        return new ServiceLimits(sv.maxRequestBodyBytes(), sv.bufferRequests(), pages,
                new OutlierDetection(o.consecutive5xxErrors(), o.baseEjectionTime(), o.maxEjectionTime(), o.maxEjectionPercent()),
                c == null ? Compression.OFF : new Compression(c.encodings(), c.minResponseBodyBytes(), c.contentTypes()),
                ServiceSpec.H2C.equals(sv.upstreamProtocol()) ? UpstreamProtocol.H2C : UpstreamProtocol.HTTP1);
    }

    /** The hosts whose certificate comes by ACME. */
    public static Set<String> acmeHosts(List<Service> services) {
        Set<String> out = new TreeSet<>();
        for (Service s : services) {
            ServiceSpec sv = s.spec().service();
            if (sv != null && sv.tls() != null && sv.tls().acme()) out.addAll(sv.hosts());
        }
        return out;
    }

    /** Where an ACME certificate of {@code host} is kept in the state directory. */
    static Path acmeDirectory(Path stateDir, String host) {
        return stateDir.resolve("certs").resolve(host.replace('*', '_'));
    }

    public static DataPlaneProtocol.FrontDoorConfig config(FrontDoorSettings settings, List<Service> services, Path stateDir) {
        Map<String, Certificates.Pem> certificates = new LinkedHashMap<>();
        for (Service s : services) {
            ServiceSpec sv = s.spec().service();
            if (sv == null || sv.tls() == null) continue;
            for (String host : sv.hosts()) {
                if (sv.tls().acme()) {
                    Path d = acmeDirectory(stateDir, host);
                    if (Files.exists(d.resolve("cert.pem")) && Files.exists(d.resolve("key.pem"))) {
                        certificates.put(host, new Certificates.Pem(d.resolve("cert.pem"), d.resolve("key.pem")));
                    }
                } else {
                    certificates.put(host, new Certificates.Pem(s.baseDir().resolve(sv.tls().certFile()).normalize(),
                            s.baseDir().resolve(sv.tls().keyFile()).normalize()));
                }
            }
        }
        return new DataPlaneProtocol.FrontDoorConfig(settings.listen(), settings.listenTls(), settings.trustedProxies(), settings.accessLog(),
                routes(services), certificates);
    }
}
