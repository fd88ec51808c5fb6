package dev.rollgate.proxy;

import java.util.Map;

/**
 * What a service asks of its proxy beyond routing: the largest request body it takes (413 above;
 * 0: no limit), whether a request's body is read whole before a replica is chosen (a slow client
 * then holds no replica), its own pages for the errors the proxy answers itself, when a replica
 * that keeps failing is set aside ({@link OutlierDetection}), which responses are compressed
 * ({@link Compression}, off unless asked), and what its replicas speak ({@link UpstreamProtocol}).
 */
public record ServiceLimits(long maxRequestBodyBytes, boolean bufferRequests, Map<Integer, String> errorPages, OutlierDetection outlierDetection,
                            Compression compression, UpstreamProtocol upstreamProtocol) {

    public static final ServiceLimits NONE = new ServiceLimits(0, false, Map.of());

    public ServiceLimits {
        errorPages = errorPages == null ? Map.of() : Map.copyOf(errorPages);
        if (outlierDetection == null) outlierDetection = OutlierDetection.DEFAULT;
        if (compression == null) compression = Compression.OFF;
        if (upstreamProtocol == null) upstreamProtocol = UpstreamProtocol.HTTP1;
    }

    public ServiceLimits(long maxRequestBodyBytes, boolean bufferRequests, Map<Integer, String> errorPages) {
        this(maxRequestBodyBytes, bufferRequests, errorPages, OutlierDetection.DEFAULT, Compression.OFF, UpstreamProtocol.HTTP1);
    }
}
