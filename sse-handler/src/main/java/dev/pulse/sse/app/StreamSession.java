package dev.pulse.sse.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Json;
import dev.pulse.core.Metrics;
import dev.pulse.sse.runtime.ResponseStream;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open event stream. This thread is the only writer: it waits for the poller's updates with a timeout
 * that ends exactly when the next heartbeat is due (last write + interval), so every write resets the
 * heartbeat timer and idle gaps are the interval itself. It ends the stream with {@code event: reconnect}
 * at {@code endAtNanos}.
 *
 * <p>Event ids never go backwards: a {@code new_item} carries its item id; every {@code metrics} event
 * carries the id of the newest item it counts, which the client has by then; {@code reconnect} carries the
 * last id written. A fresh stream starts with the metrics snapshot; a resumed one first replays what the
 * client missed, then sends the snapshot, so totals are never ahead of the items shown.
 */
final class StreamSession {

    /** Where the stream starts: a fresh one at the snapshot, a resumed one after the client's last id. */
    record Start(long position, Metrics snapshot, boolean fresh) {
        static Start fresh(Metrics snapshot) {
            return new Start(snapshot.total(), snapshot, true);
        }

        static Start resume(long position, Metrics snapshot) {
            return new Start(position, snapshot, false);
        }
    }

    private final EventSink out;
    private final ItemStore store;
    private final Set<String> tags;
    private final Start start;
    private final long heartbeatNanos;
    private final Duration pollInterval;
    private final long endAtNanos;
    private final String endReason;
    private String lastId;

    StreamSession(ResponseStream response, ItemStore store, Set<String> tags, Start start, SseConfig config,
                  long endAtNanos, String endReason) {
        this.out = new EventSink(response);
        this.store = store;
        this.tags = tags;
        this.start = start;
        this.heartbeatNanos = config.heartbeatInterval().toNanos();
        this.pollInterval = config.pollInterval();
        this.endAtNanos = endAtNanos;
        this.endReason = endReason;
        this.lastId = ItemId.of(start.position());
    }

    /** Writes the stream after the head; returns when it ended cleanly with {@code reconnect}. */
    void run() throws IOException {
        out.retry(EventSink.RETRY_MS);
        if (start.fresh()) {
            out.event("metrics", start.snapshot().lastId(), Json.metrics(start.snapshot()));
        }
        BlockingQueue<ItemPoller.Update> updates = new ArrayBlockingQueue<>(ItemPoller.QUEUE_CAPACITY);
        ItemPoller poller = new ItemPoller(store, tags, start.position(),
                start.fresh() ? start.snapshot() : null, start.fresh() ? null : start.snapshot(),
                pollInterval, updates);
        poller.start();
        long livenessCheckNanos = pollInterval.toNanos();
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - endAtNanos >= 0) {
                    ObjectNode data = Json.object().put("reason", endReason).put("last_event_id", lastId);
                    out.retry(EventSink.ROTATION_RETRY_MS);
                    out.event("reconnect", lastId, data);
                    return;
                }
                long heartbeatDue = out.lastWriteNanos() + heartbeatNanos;
                if (now - heartbeatDue >= 0) {
                    out.heartbeat();
                    continue;
                }
                long wakeAt = heartbeatDue - endAtNanos < 0 ? heartbeatDue : endAtNanos;
                // Wake at least once per poll interval: a poller that died without a word ends the stream too.
                long waitNanos = Math.min(wakeAt - now, livenessCheckNanos);
                ItemPoller.Update update;
                try {
                    update = updates.poll(waitNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while streaming", e);
                }
                if (update != null) {
                    send(update);
                } else if (!poller.running() && updates.isEmpty()) {
                    throw new IllegalStateException("the item poller stopped unexpectedly");
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
                    out.event("new_item", item.id(), Json.item(item));
                    lastId = item.id();
                }
            }
            case ItemPoller.MetricsChanged(var metrics) -> {
                lastId = metrics.lastId();
                out.event("metrics", lastId, Json.metrics(metrics));
            }
            case ItemPoller.Failed(var error) -> throw unchecked(error);
        }
    }

    /** The poller's failure, thrown on as it was, so the runtime reports its own type and message. */
    private static RuntimeException unchecked(Throwable error) {
        if (error instanceof RuntimeException e) {
            throw e;
        }
        if (error instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(error.toString(), error);
    }
}
