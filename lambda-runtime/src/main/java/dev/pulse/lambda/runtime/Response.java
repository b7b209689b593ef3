package dev.pulse.lambda.runtime;

import java.nio.charset.StandardCharsets;

/**
 * What a {@link Handler} returns: a whole payload, or a stream. The runtime sends either with the Runtime API's
 * protocol; {@code dev.pulse.lambda.http} builds the Function URL forms of both.
 */
public sealed interface Response permits Response.Buffered, Response.Streaming {

    /** One payload, sent with a Content-Length (Lambda takes up to 6 MB). */
    record Buffered(String contentType, byte[] body) implements Response {
    }

    /**
     * A streamed payload: {@code head} (may be empty), then whatever {@code body} writes, each write a chunk. The
     * head is sent with the body's first write, so a body that fails before writing anything still ends as a plain
     * invocation error.
     */
    record Streaming(String contentType, byte[] head, Body body) implements Response {
    }

    static Response buffered(String contentType, byte[] body) {
        return new Buffered(contentType, body);
    }

    static Response json(String json) {
        return new Buffered("application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static Response streaming(String contentType, Body body) {
        return new Streaming(contentType, new byte[0], body);
    }
}
