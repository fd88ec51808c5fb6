package dev.rollgate.local.replica;

import dev.rollgate.local.probe.ExecProbe;
import dev.rollgate.local.probe.GrpcProbe;
import dev.rollgate.local.probe.HttpGetProbe;
import dev.rollgate.local.probe.ProbeResult;
import dev.rollgate.local.probe.ProbeTarget;
import dev.rollgate.local.probe.TcpSocketProbe;
import dev.rollgate.spec.Handler;
import java.time.Duration;

/** Runs any handler against a replica: the one place that maps handler types to their runners. */
public final class Handlers {

    private Handlers() {}

    public static ProbeResult run(Handler handler, ProbeTarget target, Duration timeout) {
        return switch (handler) {
            case Handler.HttpGet get -> HttpGetProbe.run(get, target, timeout);
            case Handler.TcpSocket tcp -> TcpSocketProbe.run(tcp, target, timeout);
            case Handler.Grpc grpc -> GrpcProbe.run(grpc, target, timeout);
            case Handler.Exec exec -> ExecProbe.run(exec, target, timeout);
            case Handler.Sleep sleep -> sleep(sleep, timeout);
        };
    }

    private static ProbeResult sleep(Handler.Sleep sleep, Duration timeout) {
        Duration d = Duration.ofSeconds(sleep.seconds());
        try {
            Thread.sleep(d.compareTo(timeout) < 0 ? d : timeout);
            return ProbeResult.success("slept " + sleep.seconds() + "s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeResult(ProbeResult.Outcome.UNKNOWN, "sleep interrupted");
        }
    }
}
