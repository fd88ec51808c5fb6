package dev.rollgate.testkit;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one method of the test gRPC service, {@code rollgate.test.Echo/Say}: a unary call whose
 * request and response are plain UTF-8 text (a marshaller of its own, so no code generation).
 */
public final class GrpcEcho {

    private GrpcEcho() {}

    static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    public static final MethodDescriptor<String, String> SAY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("rollgate.test.Echo", "Say"))
            .setRequestMarshaller(TEXT)
            .setResponseMarshaller(TEXT)
            .build();
}
