package dev.rollgate.proxy;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeadersFactory;
import java.util.function.Supplier;

/**
 * The HTTP/1.1 handlers of a client connection, the same on a service's own port and on the front
 * door (plain or after TLS): the request head's clock, the strict decoder, the encoder that knows a
 * HEAD's answer has no body, and the exchange.
 */
final class Http1Pipeline {

    /**
     * Client request headers: every name the client sent is validated as a token (an invalid one is
     * a 400), but the names the proxy itself adds (X-Forwarded-*, the request id) are constants
     * known to be valid and skip the per-request check.
     */
    static final HttpHeadersFactory REQUEST_HEADERS;

    static {
        var factory = DefaultHttpHeadersFactory.headersFactory();
        var strict = factory.getNameValidator();
        REQUEST_HEADERS = factory.withNameValidator(name -> {
            if (!ForwardedHeaders.isOwnHeaderName(name)) strict.validateName(name);
        });
    }

    private Http1Pipeline() {}

    /** How a request head is read: within the configured sizes, and a bare LF ends no line (400, as nginx and HAProxy). */
    static HttpDecoderConfig decoder(ProxyConfig c) {
        return new HttpDecoderConfig().setHeadersFactory(REQUEST_HEADERS).setMaxInitialLineLength(c.maxInitialLineLength())
                .setMaxHeaderSize(c.maxHeaderSize()).setMaxChunkSize(64 * 1024).setStrictLineParsing(true);
    }

    /** Adds the connection's handlers; {@code exchange} (a {@link FrontendHandler}) reads its requests. */
    static void addTo(ChannelPipeline p, ProxyConfig c, Client.Listener exchange) {
        p.addLast("timeout", clock(c));
        addCodec(p, c, exchange);
    }

    /** The request head's clock, from the connection's first byte: before the protocol is known, too. */
    static RequestHeadTimeout clock(ProxyConfig c) {
        return new RequestHeadTimeout(c.headerTimeout(), c.idleTimeout(), c.timeouts().firstRequest());
    }

    /** The codec and {@code exchange}, after a clock already in place. */
    static void addCodec(ChannelPipeline p, ProxyConfig c, Client.Listener exchange) {
        p.addLast("decoder", new StrictRequestDecoder(decoder(c)));
        p.addLast("encoder", new HeadAwareResponseEncoder());
        p.addLast("frontend", new Http1Client(exchange));
    }

    /**
     * A service's own port: HTTP/1.1, or HTTP/2 for a client that opens with its preface (h2c with
     * prior knowledge, as gRPC clients do; {@link PriorKnowledge}). The head's clock runs from the
     * first byte; HTTP/2 then keeps its own ({@link Http2Pipeline}).
     */
    static void addCleartext(ChannelPipeline p, ProxyConfig c, Supplier<? extends Client.Listener> exchange) {
        p.addLast("timeout", clock(c));
        p.addLast("protocol", new PriorKnowledge(() -> addCodec(p, c, exchange.get()), () -> {
            p.remove("timeout");
            Http2Pipeline.addTo(p, c, exchange);
        }));
    }
}
