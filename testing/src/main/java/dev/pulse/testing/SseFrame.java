package dev.pulse.testing;

/**
 * What an event stream yields, in arrival order: dispatched events, comments (Pulse's heartbeat is
 * the comment {@code : heartbeat}), and {@code retry} instructions. Browsers hide the last two;
 * the tests need to see them.
 */
public sealed interface SseFrame permits SseFrame.Event, SseFrame.Comment, SseFrame.Retry {

    /** Whether this is an event of {@code type} ({@code "message"} for one whose block named none). */
    default boolean isEvent(String type) {
        return this instanceof Event event && event.type().equals(type);
    }

    /** Whether this is Pulse's heartbeat, the comment {@code : heartbeat}. */
    default boolean isHeartbeat() {
        return this instanceof Comment comment && comment.text().equals("heartbeat");
    }

    /**
     * A dispatched event (WHATWG "dispatch the event").
     *
     * @param type        the {@code event} field, or {@code "message"} when absent/empty
     * @param data        the {@code data} lines joined with LF (no trailing LF)
     * @param lastEventId the stream's last event ID at dispatch time (persists across events)
     * @param hasIdField  whether this event's own block had an {@code id} field that was applied
     */
    record Event(String type, String data, String lastEventId, boolean hasIdField) implements SseFrame {

        /** The id this event's own block set, or null when it set none. */
        public String id() {
            return hasIdField ? lastEventId : null;
        }
    }

    /** A comment line, without the leading {@code :} and one optional space: {@code ": heartbeat"} → {@code "heartbeat"}. */
    record Comment(String text) implements SseFrame {
    }

    /** A {@code retry} field with a valid value (ASCII digits only): the reconnection time in ms. */
    record Retry(long millis) implements SseFrame {
    }
}
