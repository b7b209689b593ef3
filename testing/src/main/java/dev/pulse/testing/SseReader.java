package dev.pulse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An event-stream body read frame by frame with {@link SseParser}, for tests that hold one response: each call
 * blocks until the next frame has arrived, so the time it returns is when that frame could first be seen.
 */
public final class SseReader implements AutoCloseable {

    private final InputStream body;
    private final SseParser parser = new SseParser();
    private final Deque<SseFrame> ready = new ArrayDeque<>();
    private final byte[] buffer = new byte[8192];

    public SseReader(InputStream body) {
        this.body = body;
    }

    /** The next frame, or null once the body has ended (an unfinished event at the end is dropped). */
    public SseFrame next() throws IOException {
        while (ready.isEmpty()) {
            int n = body.read(buffer);
            if (n < 0) {
                parser.end();
                return null;
            }
            ready.addAll(parser.feed(buffer, 0, n));
        }
        return ready.removeFirst();
    }

    /** The next event, past comments and {@code retry} frames, or null once the body has ended. */
    public SseFrame.Event nextEvent() throws IOException {
        SseFrame frame;
        while ((frame = next()) != null) {
            if (frame instanceof SseFrame.Event event) {
                return event;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
