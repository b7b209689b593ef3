package dev.pulse.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small server-sent-events reader for tests: the fields of the SSE specification (event, id, multi-line
 * data, retry, comments), block by block. The e2e suite has its own full client; this one serves the tests
 * that look at one function's or the emulator's bytes.
 */
public final class SseReader implements AutoCloseable {

    /**
     * One block up to its blank line. {@code event} is null when none was named; a comment-only block (a
     * heartbeat) has only {@code comment}; {@code retry} is the raw value.
     */
    public record Event(String event, String id, String data, String retry, String comment, long arrivedAtMillis) {

        public boolean isHeartbeat() {
            return "heartbeat".equals(comment) && event == null && data == null;
        }

        /** The type EventSource dispatches: "message" when none was named. */
        public String type() {
            return event == null ? "message" : event;
        }
    }

    private final BufferedReader reader;
    private final boolean strict;

    public SseReader(InputStream body) {
        this(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)), false);
    }

    private SseReader(BufferedReader reader, boolean strict) {
        this.reader = reader;
        this.strict = strict;
    }

    /**
     * Every block of {@code text}, which must hold whole blocks only: an unknown field or a block cut short is
     * an {@link AssertionError} (for tests that check the exact bytes a function wrote).
     */
    public static List<Event> parse(String text) {
        List<Event> events = new ArrayList<>();
        try (SseReader strictReader = new SseReader(new BufferedReader(new java.io.StringReader(text)), true)) {
            Event event;
            while ((event = strictReader.next()) != null) {
                events.add(event);
            }
        } catch (IOException e) {
            throw new IllegalStateException("a StringReader does not fail", e);
        }
        return events;
    }

    /** The next block, or null at the end of the stream. */
    public Event next() throws IOException {
        String event = null;
        String id = null;
        StringBuilder data = null;
        String retry = null;
        String comment = null;
        boolean any = false;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (any) {
                    return new Event(event, id, data == null ? null : data.toString(), retry, comment,
                            System.currentTimeMillis());
                }
                continue;
            }
            any = true;
            if (line.startsWith(":")) {
                comment = line.substring(1).strip();
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
                case "retry" -> retry = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                    if (strict) {
                        throw new AssertionError("unknown SSE field: " + line);
                    }
                    // unknown fields are ignored, as the SSE specification says
                }
            }
        }
        if (any && strict) {
            throw new AssertionError("the text ends in the middle of an event");
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
