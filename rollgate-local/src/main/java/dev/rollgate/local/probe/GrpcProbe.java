package dev.rollgate.local.probe;

import dev.rollgate.spec.Handler;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The kubelet's gRPC probe: one {@code grpc.health.v1.Health/Check} call over h2c on a fresh
 * connection; success when the answer is SERVING, failure for any other answer, a gRPC error
 * (an unknown service is NOT_FOUND), a refused connection or a timeout.
 */
public final class GrpcProbe {

    /** The Health service's answers (grpc.health.v1.HealthCheckResponse.ServingStatus). */
    private static final String[] SERVING_STATUS = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    /** One small event loop for every gRPC probe of the process, made on first use. */
    private static final class Loop {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rollgate-grpc-probe", true),
                NioIoHandler.newFactory());
    }

    private GrpcProbe() {}

    public static ProbeResult run(Handler.Grpc grpc, ProbeTarget target, Duration timeout) {
        int port = grpc.port() == null ? target.port() : grpc.port();
        String what = "gRPC probe" + (grpc.service().isEmpty() ? "" : " of " + grpc.service()) + " on port " + port;
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        ChannelFuture connect = new Bootstrap().group(Loop.GROUP).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect("127.0.0.1", port);
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                result.complete(ProbeResult.failure(what + " failed: " + f.cause().getMessage()));
                return;
            }
            new Http2StreamChannelBootstrap(f.channel()).handler(new Answer(what, result)).open().addListener(s -> {
                if (!s.isSuccess()) {
                    result.complete(ProbeResult.failure(what + " failed: " + s.cause().getMessage()));
                    return;
                }
                call((Http2StreamChannel) s.getNow(), grpc.service(), port);
            });
        });
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return ProbeResult.failure(what + " timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return ProbeResult.failure(what + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeResult(ProbeResult.Outcome.UNKNOWN, what + " interrupted");
        } finally {
            connect.channel().close();
        }
    }

    /** The Check call: its headers, then one gRPC message (HealthCheckRequest with the service name) that ends the stream. */
    private static void call(Http2StreamChannel stream, String service, int port) {
        Http2Headers h = new DefaultHttp2Headers().method("POST").scheme("http").authority("127.0.0.1:" + port)
                .path("/grpc.health.v1.Health/Check").add("content-type", "application/grpc").add("te", "trailers")
                .add("user-agent", HttpGetProbe.USER_AGENT);
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        ByteBuf message = Unpooled.buffer();
        int length = name.length == 0 ? 0 : 1 + varintSize(name.length) + name.length;
        message.writeByte(0).writeInt(length); // not compressed, then the message's length
        if (name.length > 0) {
            message.writeByte(0x0a); // field 1 (service), length-delimited
            writeVarint(message, name.length);
            message.writeBytes(name);
        }
        stream.write(new DefaultHttp2HeadersFrame(h));
        stream.writeAndFlush(new DefaultHttp2DataFrame(message, true));
    }

    /** Reads the answer: :status, the message (HealthCheckResponse's status), and grpc-status in the trailers or a trailers-only answer. */
    private static final class Answer extends SimpleChannelInboundHandler<Http2StreamFrame> {
        private final String what;
        private final CompletableFuture<ProbeResult> result;
        private final ByteBuf body = Unpooled.buffer();
        private String grpcStatus;
        private String grpcMessage;

        Answer(String what, CompletableFuture<ProbeResult> result) {
            this.what = what;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            boolean end = false;
            if (frame instanceof Http2HeadersFrame headers) {
                CharSequence status = headers.headers().status();
                if (status != null && !"200".contentEquals(status)) {
                    result.complete(ProbeResult.failure(what + " got HTTP status " + status));
                    return;
                }
                if (headers.headers().get("grpc-status") != null) grpcStatus = headers.headers().get("grpc-status").toString();
                if (headers.headers().get("grpc-message") != null) grpcMessage = headers.headers().get("grpc-message").toString();
                end = headers.isEndStream();
            } else if (frame instanceof Http2DataFrame data) {
                body.writeBytes(data.content());
                end = data.isEndStream();
            }
            if (end) result.complete(outcome());
        }

        private ProbeResult outcome() {
            if (grpcStatus == null) return ProbeResult.failure(what + " got no grpc-status");
            if (!grpcStatus.equals("0")) {
                return ProbeResult.failure(what + " failed with gRPC status " + grpcStatus + (grpcMessage == null ? "" : " (" + grpcMessage + ")"));
            }
            int serving = 0;
            if (body.readableBytes() >= 5) {
                body.skipBytes(5); // compressed flag and length
                while (body.isReadable()) {
                    int tag = body.readByte();
                    int value = readVarint(body);
                    if (tag == 0x08) serving = value;
                }
            }
            String name = serving >= 0 && serving < SERVING_STATUS.length ? SERVING_STATUS[serving] : Integer.toString(serving);
            return serving == 1 ? ProbeResult.success(what + ": SERVING") : ProbeResult.failure(what + ": " + name);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete(ProbeResult.failure(what + ": the stream closed before an answer"));
            body.release();
        }
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private static void writeVarint(ByteBuf out, int v) {
        while ((v & ~0x7f) != 0) {
            out.writeByte((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarint(ByteBuf in) {
        int value = 0;
        for (int shift = 0; shift < 32 && in.isReadable(); shift += 7) {
            byte b = in.readByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) break;
        }
        return value;
    }
}
