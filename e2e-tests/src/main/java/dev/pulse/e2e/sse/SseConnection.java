package dev.pulse.e2e.sse;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.client.Request;
import dev.pulse.testing.SseFrame;
import dev.pulse.testing.SseParser;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One event-stream response read incrementally: a daemon thread reads the body as bytes arrive
 * ({@code BodyHandlers.ofInputStream}, never buffering the whole body), parses them with
 * {@link SseParser} and queues the frames with their arrival time. {@link #close()} cuts the
 * connection at any point (also while a read is blocked).
 */
public final class SseConnection implements AutoCloseable {
    private static final Received END = new Received(new SseFrame.Comment("<end of stream>"), 0, 0);

    private final HttpResponse<InputStream> response;
    private final long headersAtNanos;
    private final SseParser parser;
    private final int index;
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closed;
    private volatile boolean ended;
    private volatile IOException failure;

    private SseConnection(HttpResponse<InputStream> response, String lastEventId, int index) {
        this.response = response;
        this.headersAtNanos = System.nanoTime();
        this.parser = new SseParser(lastEventId);
        this.index = index;
        this.reader = new Thread(this::readLoop, "sse-reader-" + response.uri().getPath());
        this.reader.setDaemon(true);
    }

    /**
     * GETs {@code path} (routed by the client, so a stream path goes to the SSE URL) with
     * {@code Accept: text/event-stream} and, when {@code lastEventId} is non-empty, the
     * {@code Last-Event-ID} header. Returns once the response headers arrived; on a non-200 status
     * nothing is read ({@link #bodyText()} gives the error body).
     */
    public static SseConnection open(PulseClient client, String path, String lastEventId, Duration headersTimeout) {
        return open(client, Request.get(path), lastEventId, headersTimeout, 1);
    }

    static SseConnection open(PulseClient client, Request request, String lastEventId, Duration headersTimeout,
                              int index) {
        Request r = request.withHeader("Accept", "text/event-stream").withTimeout(headersTimeout);
        if (lastEventId != null && !lastEventId.isEmpty()) {
            r = r.withHeader("Last-Event-ID", lastEventId);
        }
        SseConnection c = new SseConnection(client.open(r), lastEventId, index);
        if (c.status() == 200) {
            c.reader.start();
        }
        return c;
    }

    public int status() {
        return response.statusCode();
    }

    public HttpHeaders headers() {
        return response.headers();
    }

    /** {@link System#nanoTime()} when the response headers had arrived. */
    public long headersAtNanos() {
        return headersAtNanos;
    }

    /** The whole body of a non-200 answer (an error document is small). */
    public String bodyText() throws IOException {
        if (status() == 200) {
            throw new IllegalStateException("the body of a 200 stream is read as frames");
        }
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The next frame, or empty when none arrives within {@code timeout} or the stream has ended. */
    public Optional<Received> next(Duration timeout) {
        if (ended && queue.isEmpty()) {
            return Optional.empty();
        }
        try {
            Received r = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (r == END) {
                ended = true;
                return Optional.empty();
            }
            return Optional.ofNullable(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Reads frames until one matches or the time is up; returns every frame read (the match last),
     * so callers can also assert on what came before.
     *
     * @throws SseTimeoutException when no match arrives in time (the frames seen are in the message)
     */
    public List<Received> readUntil(Predicate<Received> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SseTimeoutException("no matching frame within " + timeout + "; received " + seen.size()
                        + " frame(s): " + SseTimeoutException.summary(seen) + (ended ? " (stream ended)" : ""));
            }
            Optional<Received> r = next(Duration.ofNanos(left));
            if (r.isEmpty()) {
                if (ended) {
                    throw new SseTimeoutException("stream ended before a matching frame; received "
                            + SseTimeoutException.summary(seen) + (failure == null ? "" : " (" + failure + ")"));
                }
                continue;
            }
            seen.add(r.get());
            if (match.test(r.get())) {
                return seen;
            }
        }
    }

    /** True once the server ended the response (or the connection broke) and every frame was taken. */
    public boolean ended() {
        return ended && queue.isEmpty();
    }

    /** The stream's last event ID so far (for a reconnect). */
    public String lastEventId() {
        synchronized (parser) {
            return parser.lastEventId();
        }
    }

    /** Null, or the I/O error that ended the stream (not counting our own {@link #close()}). */
    public IOException failure() {
        return failure;
    }

    @Override
    public void close() {
        closed = true;
        try {
            response.body().close();
        } catch (IOException ignored) {
            // Closing is best effort; the interrupt below unblocks the reader either way.
        }
        reader.interrupt();
    }

    private void readLoop() {
        byte[] buf = new byte[8192];
        try (InputStream in = response.body()) {
            int n;
            while (!closed && (n = in.read(buf)) >= 0) {
                long at = System.nanoTime();
                List<SseFrame> frames;
                synchronized (parser) {
                    frames = parser.feed(buf, 0, n);
                }
                for (SseFrame f : frames) {
                    queue.add(new Received(f, at, index));
                }
            }
        } catch (IOException e) {
            if (!closed) {
                failure = e;
            }
        } finally {
            synchronized (parser) {
                parser.end();
            }
            queue.add(END);
        }
    }
}
