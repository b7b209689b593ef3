package dev.pulse.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** A small server-sent-events parser for the tests: event, id, data (multi-line), retry, comments. */
final class SseReader implements AutoCloseable {

    /** One dispatched block; {@code event} is "message" when none was named; comment-only blocks have a comment. */
    record Event(String event, String id, String data, Integer retry, String comment, long arrivedAtMillis) {
    }

    private final BufferedReader reader;

    SseReader(InputStream body) {
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next block, or null at the end of the stream. */
    Event next() throws IOException {
        String event = null;
        String id = null;
        StringBuilder data = null;
        Integer retry = null;
        String comment = null;
        boolean any = false;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (any) {
                    return new Event(event == null ? "message" : event, id, data == null ? null : data.toString(), retry,
                            comment, System.currentTimeMillis());
                }
                continue;
            }
            any = true;
            if (line.startsWith(":")) {
                comment = line.substring(1).trim();
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "retry" -> retry = Integer.valueOf(value);
                default -> {
                    // unknown fields are ignored, as the SSE specification says
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
