package dev.pulse.sse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Item;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Json;
import dev.pulse.core.Metrics;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open event stream. This thread is the only writer: it waits for the poller's updates with a timeout
 * that ends exactly when the next heartbeat is due (last write + interval), so every write resets the
 * heartbeat timer and idle gaps are the interval itself. It ends the stream with {@code event: reconnect}
 * at {@code endAtNanos}.
 *
 * <p>Event ids: a {@code new_item} carries its item id; every {@code metrics} event and the final
 * {@code reconnect} carry the highest item id sent so far (for the first snapshot: the resume id, or the
 * newest id in the table when the stream started). So ids never go backwards, and a client that resumes
 * from any id it saw gets every later item exactly once.
 */
final class StreamSession {

    /** Thrown out of {@link #run()} when the poller hit an unexpected error: the caller sends the error trailers. */
    static final class StreamFailedException extends RuntimeException {
        StreamFailedException(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final StreamingResponse out;
    private final ItemStore store;
    private final Set<String> tags;
    private final String startId;
    private final Metrics snapshot;
    private final long heartbeatNanos;
    private final Duration pollInterval;
    private final long endAtNanos;
    private final String endReason;
    private String lastId;
    private long lastWriteNanos;

    StreamSession(StreamingResponse out, ItemStore store, Set<String> tags, String startId, Metrics snapshot,
                  SseConfig config, long endAtNanos, String endReason) {
        this.out = out;
        this.store = store;
        this.tags = tags;
        this.startId = startId;
        this.snapshot = snapshot;
        this.heartbeatNanos = config.heartbeatInterval().toNanos();
        this.pollInterval = config.pollInterval();
        this.endAtNanos = endAtNanos;
        this.endReason = endReason;
        this.lastId = startId;
    }

    /** Writes the stream after the head; returns when it ended cleanly with {@code reconnect}. */
    void run() throws IOException {
        write(SseEvents.RETRY);
        write(SseEvents.event("metrics", lastId, Json.metrics(snapshot)));
        BlockingQueue<ItemPoller.Update> updates = new LinkedBlockingQueue<>();
        ItemPoller poller = new ItemPoller(store, tags, startId, snapshot, pollInterval, updates);
        poller.start();
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - endAtNanos >= 0) {
                    ObjectNode data = Json.object().put("reason", endReason).put("last_event_id", lastId);
                    write(SseEvents.event("reconnect", lastId, data));
                    return;
                }
                long heartbeatDue = lastWriteNanos + heartbeatNanos;
                if (now - heartbeatDue >= 0) {
                    write(SseEvents.HEARTBEAT);
                    continue;
                }
                long wakeAt = heartbeatDue - endAtNanos < 0 ? heartbeatDue : endAtNanos;
                ItemPoller.Update update;
                try {
                    update = updates.poll(wakeAt - now, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while streaming", e);
                }
                if (update != null) {
                    send(update);
                }
            }
        } finally {
            poller.stop();
        }
    }

    private void send(ItemPoller.Update update) throws IOException {
        switch (update) {
            case ItemPoller.NewItems(var items) -> {
                for (Item item : items) {
                    write(SseEvents.event("new_item", item.id(), Json.item(item)));
                    if (item.id().compareTo(lastId) > 0) {
                        lastId = item.id();
                    }
                }
            }
            case ItemPoller.MetricsChanged(var metrics) -> write(SseEvents.event("metrics", lastId, Json.metrics(metrics)));
            case ItemPoller.Failed(var error) -> throw new StreamFailedException(error);
        }
    }

    private void write(String text) throws IOException {
        out.writeChunk(SseEvents.utf8(text));
        lastWriteNanos = System.nanoTime();
    }
}
