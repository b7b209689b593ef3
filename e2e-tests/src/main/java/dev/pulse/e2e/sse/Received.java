package dev.pulse.e2e.sse;

import dev.pulse.testing.SseFrame;

/**
 * A frame as it arrived.
 *
 * @param frame      the parsed frame
 * @param atNanos    {@link System#nanoTime()} when the bytes completing it were read
 * @param connection 1 for the first connection of a reader, 2 after the first reconnect, ...
 */
public record Received(SseFrame frame, long atNanos, int connection) {

    /** The frame as an event of this type, or null. */
    public SseFrame.Event event(String type) {
        return frame instanceof SseFrame.Event e && e.type().equals(type) ? e : null;
    }

    public boolean isComment(String text) {
        return frame instanceof SseFrame.Comment c && c.text().equals(text);
    }
}
