package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/** What an upstream connection reports to the request it is serving. */
interface Upstream {

    void onResponse(HttpResponse response);

    void onResponseContent(HttpContent content);

    /** Raw bytes after a protocol switch (101), before the pipelines are rewired. */
    void onRawBytes(ByteBuf bytes);

    void onUpstreamClosed(Throwable cause);

    /** The replica's GOAWAY left this request's HTTP/2 stream unprocessed (above its last stream id): it may go again. */
    void onUpstreamRefused();

    /** The upstream has sent nothing for a while (its reader-idle clock fired) while this request waits on it. */
    void onUpstreamSilent();

    void onUpstreamWritable();

    void onUpstreamReadComplete();
}
