package dev.pulse.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;

import java.nio.charset.StandardCharsets;

/** The SSE wire text: each method returns exactly one event (or comment), ending with the blank line. */
final class SseEvents {

    static final String RETRY = "retry: 3000\n\n";
    /**
     * Sent just before a planned {@code reconnect}: the client comes back after 500 ms instead of 3 s. The next
     * stream starts with {@link #RETRY} again, so only this planned gap is short, not retries after failures.
     */
    static final String ROTATION_RETRY = "retry: 500\n\n";
    static final String HEARTBEAT = ": heartbeat\n\n";

    private SseEvents() {
    }

    /** {@code data} is one line of JSON (Jackson never writes raw line breaks), so one {@code data:} field. */
    static String event(String name, String id, JsonNode data) {
        StringBuilder text = new StringBuilder(128).append("event: ").append(name).append('\n');
        if (id != null) {
            text.append("id: ").append(id).append('\n');
        }
        return text.append("data: ").append(Json.write(data)).append("\n\n").toString();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
