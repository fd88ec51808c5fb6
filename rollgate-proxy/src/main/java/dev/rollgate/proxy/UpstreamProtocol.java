package dev.rollgate.proxy;

/** What a service's replicas speak: HTTP/1.1, or HTTP/2 in clear text with prior knowledge (h2c), as gRPC servers do. */
public enum UpstreamProtocol {
    HTTP1,
    H2C
}
