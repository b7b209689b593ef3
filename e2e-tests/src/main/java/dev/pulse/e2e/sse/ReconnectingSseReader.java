package dev.pulse.e2e.sse;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.client.Request;
import dev.pulse.testing.SseFrame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@code EventSource}-like reader: keeps one stream open, and whenever it ends — the server
 * closed it (e.g. after {@code event: reconnect}), the connection broke, or a test cut it with
 * {@link #dropConnection()} — opens a new one with {@code Last-Event-ID} set to the last event ID
 * seen so far. Frames of every connection arrive in one queue, tagged with the connection number.
 *
 * <p>The delay before reconnecting is the server's last {@code retry} value unless a fixed
 * {@code reconnectDelay} is given (tests use a short one to stay fast). A non-200 answer is
 * recorded ({@link #failedStatuses()}) and retried after the same delay.
 */
public final class ReconnectingSseReader implements AutoCloseable {
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);

    private final PulseClient client;
    private final String path;
    private final Duration fixedDelay;
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final List<String> sentLastEventIds = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> failedStatuses = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread loop;
    private volatile SseConnection current;
    private volatile String lastEventId;
    private volatile long retryMillis = 3000;
    private volatile boolean closed;

    /**
     * @param path           a stream path, e.g. {@code /api/v2/stream?tags=ABC}
     * @param lastEventId    sent on the first connection too when non-empty (resume)
     * @param reconnectDelay null = honour the server's {@code retry}; else this fixed delay
     */
    public ReconnectingSseReader(PulseClient client, String path, String lastEventId, Duration reconnectDelay) {
        this.client = client;
        this.path = path;
        this.lastEventId = lastEventId == null ? "" : lastEventId;
        this.fixedDelay = reconnectDelay;
        this.loop = new Thread(this::run, "sse-reconnecting-reader");
        this.loop.setDaemon(true);
    }

    public ReconnectingSseReader start() {
        loop.start();
        return this;
    }

    /** The next frame from any connection, or empty after {@code timeout}. */
    public Optional<Received> next(Duration timeout) {
        try {
            return Optional.ofNullable(queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Cuts the current connection wherever it is (mid-event included); the reader reconnects. */
    public void dropConnection() {
        SseConnection c = current;
        if (c != null) {
            c.close();
        }
    }

    /** How many connections answered 200 so far. */
    public int connections() {
        return connections.get();
    }

    /** The {@code Last-Event-ID} sent on each connection attempt ("" = none), in order. */
    public List<String> sentLastEventIds() {
        synchronized (sentLastEventIds) {
            return List.copyOf(sentLastEventIds);
        }
    }

    public List<Integer> failedStatuses() {
        synchronized (failedStatuses) {
            return List.copyOf(failedStatuses);
        }
    }

    public String lastEventId() {
        return lastEventId;
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        dropConnection();
    }

    private void run() {
        int attempt = 0;
        while (!closed) {
            attempt++;
            String sent = lastEventId;
            sentLastEventIds.add(sent);
            SseConnection c;
            try {
                c = SseConnection.open(client, Request.get(path), sent, HEADERS_TIMEOUT, attempt);
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                failedStatuses.add(-1);
                pause();
                continue;
            }
            if (c.status() != 200) {
                failedStatuses.add(c.status());
                c.close();
                pause();
                continue;
            }
            current = c;
            connections.incrementAndGet();
            if (closed) {
                c.close();
                return;
            }
            pump(c);
            c.close();
            current = null;
            if (!closed) {
                pause();
            }
        }
    }

    /** Forwards frames until the connection ends or the server says {@code reconnect}. */
    private void pump(SseConnection c) {
        while (!closed) {
            Optional<Received> r = c.next(Duration.ofMillis(500));
            if (r.isEmpty()) {
                if (c.ended()) {
                    break;
                }
                continue;
            }
            SseFrame f = r.get().frame();
            if (f instanceof SseFrame.Retry retry) {
                retryMillis = retry.millis();
            }
            if (f instanceof SseFrame.Event e) {
                lastEventId = e.lastEventId();
            }
            queue.add(r.get());
            if (f instanceof SseFrame.Event e && e.type().equals("reconnect")) {
                break; // the server is about to end the response; go at once rather than wait for EOF
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(fixedDelay != null ? fixedDelay.toMillis() : retryMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }
}
