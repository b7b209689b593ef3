package dev.pulse.sse.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;
import dev.pulse.lambda.runtime.ResponseSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Where a stream writes: one SSE block (event, comment or retry) per write, so per chunk, each ending with its blank
 * line.
 * It owns the wire text and remembers when it last wrote, which is what the heartbeat timer runs from.
 */
final class EventSink {

    /** How long a client waits before it reconnects after a failure. */
    static final int RETRY_MS = 3000;
    /**
     * Sent just before a planned {@code reconnect}: the client comes back after 500 ms instead of 3 s. The next
     * stream starts with {@link #RETRY_MS} again, so only this planned gap is short, not retries after failures.
     */
    static final int ROTATION_RETRY_MS = 500;

    private final ResponseSink out;
    private long lastWriteNanos;

    EventSink(ResponseSink out) {
        this.out = out;
    }

    void retry(int millis) throws IOException {
        write("retry: " + millis + "\n\n");
    }

    /** {@code data} is one line of JSON (Jackson never writes raw line breaks), so one {@code data:} field. */
    void event(String name, String id, JsonNode data) throws IOException {
        StringBuilder text = new StringBuilder(128).append("event: ").append(name).append('\n');
        if (id != null) {
            text.append("id: ").append(id).append('\n');
        }
        write(text.append("data: ").append(Json.write(data)).append("\n\n").toString());
    }

    void heartbeat() throws IOException {
        write(": heartbeat\n\n");
    }

    long lastWriteNanos() {
        return lastWriteNanos;
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        lastWriteNanos = System.nanoTime();
    }
}
