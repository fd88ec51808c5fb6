package dev.rollgate.proxy;

/** One upstream replica of one revision, at host:port. */
public record Endpoint(String id, String revision, String host, int port) {

    @Override
    public String toString() {
        return id + "(" + revision + ")@" + host + ":" + port;
    }
}
