package dev.pulse.lambda.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Where a streamed {@link Body} writes. Each write leaves at once as its own chunk; an empty write sends nothing.
 * The runtime owns the connection behind it: an {@link IOException} from a write means that connection broke, and
 * the body should stop. One thread writes.
 */
public interface ResponseSink {

    void write(byte[] bytes) throws IOException;

    default void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }
}
