package dev.pulse.sse;

import java.util.ArrayList;
import java.util.List;

/** A small SSE parser for the tests: fields per the SSE spec (event, id, data lines, retry, comments). */
record Sse(String event, String id, String data, String retry, String comment) {

    boolean isHeartbeat() {
        return "heartbeat".equals(comment) && event == null && data == null;
    }

    /** Parses text holding whole events (each ended by a blank line). */
    static List<Sse> parse(String text) {
        List<Sse> events = new ArrayList<>();
        String event = null;
        String id = null;
        StringBuilder data = null;
        String retry = null;
        String comment = null;
        boolean any = false;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                if (any) {
                    events.add(new Sse(event, id, data == null ? null : data.toString(), retry, comment));
                }
                event = null;
                id = null;
                data = null;
                retry = null;
                comment = null;
                any = false;
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
                default -> throw new AssertionError("unknown SSE field: " + line);
            }
        }
        if (any) {
            throw new AssertionError("text ends in the middle of an event: " + text);
        }
        return events;
    }
}
