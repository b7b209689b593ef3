package dev.pulse.sse.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.Json;
import dev.pulse.core.Metrics;
import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.Telemetry;
import dev.pulse.lambda.runtime.ResponseSink;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * One open event stream. This thread is the only writer: it waits for its feed's updates with a timeout
 * that ends exactly when the next heartbeat is due (last write + interval), so every write resets the
 * heartbeat timer and idle gaps are the interval itself. It ends the stream with {@code event: reconnect}
 * at {@code endAtNanos}.
 *
 * <p>Event ids never go backwards: a {@code new_item} carries its item id; every {@code metrics} event
 * carries the id of the newest item it counts, which the client has by then; {@code reconnect} carries the
 * last id written. A fresh stream starts with the metrics snapshot; a resumed one first replays what the
 * client missed, then sends the snapshot, so totals are never ahead of the items shown.
 *
 * <p>It counts what it writes ({@link StreamStats}) and ends with its end line ({@link StreamLog}), whatever
 * the end: planned, a broken response connection, or a failure. An item's delivery lag (its write time to the
 * moment it is written here) is taken for live items only, those written after the stream started: a resume's
 * replay of old items says nothing about how far behind the feed is.
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

        /** The id the client resumed after (its start and end lines name it); null for a fresh stream. */
        String resumedFrom() {
            return fresh ? null : ItemId.of(position);
        }
    }

    private final EventSink out;
    private final ItemFeed feed;
    private final Set<String> tags;
    private final Start start;
    private final long heartbeatNanos;
    private final Duration pollInterval;
    private final long endAtNanos;
    private final EndReason plannedEnd;
    private final Telemetry telemetry;
    private final String requestId;
    private final StreamStats stats;
    private final StreamLog log;
    private final Instant startedAt;
    private String lastId;

    /**
     * What the stream serves and until when.
     *
     * @param tags       the filter (empty: every tag)
     * @param endAtNanos when it ends ({@link System#nanoTime})
     * @param plannedEnd {@link EndReason#MAX_STREAM} or {@link EndReason#DEADLINE}: what {@code endAtNanos} is
     */
    record Plan(Set<String> tags, Start start, long endAtNanos, EndReason plannedEnd) {
    }

    /**
     * Where the stream reports what it did.
     *
     * @param startedAt when the request arrived: items written since are live (their lag is measured)
     */
    record Reporting(Telemetry telemetry, String requestId, StreamStats stats, StreamLog log, Instant startedAt) {
    }

    StreamSession(ResponseSink response, ItemFeed feed, SseConfig config, Plan plan, Reporting reporting) {
        this.out = new EventSink(response);
        this.feed = feed;
        this.tags = plan.tags();
        this.start = plan.start();
        this.heartbeatNanos = config.heartbeatInterval().toNanos();
        this.pollInterval = config.pollInterval();
        this.endAtNanos = plan.endAtNanos();
        this.plannedEnd = plan.plannedEnd();
        this.telemetry = reporting.telemetry();
        this.requestId = reporting.requestId();
        this.stats = reporting.stats();
        this.log = reporting.log();
        this.startedAt = reporting.startedAt();
        this.lastId = ItemId.of(start.position());
    }

    /**
     * Writes the stream after the head; returns when it ended cleanly with {@code reconnect}. Always writes the
     * end line: {@code client_gone} when a write failed (IOException), {@code error} when the stream failed.
     */
    void run() throws IOException {
        EndReason reason = EndReason.ERROR;
        Throwable failure = null;
        try {
            stream();
            reason = plannedEnd;
        } catch (IOException e) {
            reason = EndReason.CLIENT_GONE;
            failure = e;
            throw e;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            log.ended(reason, lastId, start.resumedFrom(), failure, System.nanoTime());
        }
    }

    private void stream() throws IOException {
        out.retry(EventSink.RETRY_MS);
        if (start.fresh()) {
            event("metrics", start.snapshot().lastId(), Json.metrics(start.snapshot()));
        }
        FeedSubscription updates = feed.subscribe(start, tags, stats, warning -> telemetry.text(Level.WARN, requestId, warning));
        long livenessCheckNanos = pollInterval.toNanos();
        try {
            while (true) {
                long now = System.nanoTime();
                log.flushIfDue(now);
                if (now - endAtNanos >= 0) {
                    ObjectNode data = Json.object().put("reason", plannedEnd.wireName()).put("last_event_id", lastId);
                    out.retry(EventSink.ROTATION_RETRY_MS);
                    event("reconnect", lastId, data);
                    return;
                }
                long heartbeatDue = out.lastWriteNanos() + heartbeatNanos;
                if (now - heartbeatDue >= 0) {
                    out.heartbeat();
                    stats.heartbeat();
                    continue;
                }
                long wakeAt = heartbeatDue - endAtNanos < 0 ? heartbeatDue : endAtNanos;
                // Wake at least once per poll interval: a feed that died without a word ends the stream too.
                long waitNanos = Math.min(wakeAt - now, livenessCheckNanos);
                Update update;
                try {
                    update = updates.poll(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while streaming", e);
                }
                if (update != null) {
                    send(update);
                } else if (!updates.alive() && updates.queued() == 0) {
                    throw new IllegalStateException("the item feed stopped unexpectedly");
                }
            }
        } finally {
            updates.close();
        }
    }

    private void send(Update update) throws IOException {
        switch (update) {
            case Update.NewItems(var items) -> {
                for (Item item : items) {
                    event("new_item", item.id(), Json.item(item));
                    stats.item(liveLagMillis(item));
                    lastId = item.id();
                }
                if (telemetry.enabled(Level.DEBUG)) {
                    telemetry.log(Level.DEBUG, "sent " + items.size() + " items", line -> line.requestId(requestId)
                            .field("event", "items_sent").field("count", items.size()).field("last_event_id", lastId));
                }
            }
            case Update.MetricsChanged(var metrics) -> {
                lastId = metrics.lastId();
                event("metrics", lastId, Json.metrics(metrics));
            }
            case Update.Failed(var error) -> throw unchecked(error);
        }
    }

    private void event(String name, String id, ObjectNode data) throws IOException {
        out.event(name, id, data);
        stats.event();
    }

    /** Now minus the item's write time, for an item written after the stream started; null otherwise. */
    private Long liveLagMillis(Item item) {
        try {
            Instant written = Instant.parse(item.ts());
            if (written.isBefore(startedAt)) {
                return null;
            }
            return Math.max(0, Instant.now().toEpochMilli() - written.toEpochMilli());
        } catch (DateTimeParseException | NullPointerException e) {
            return null;
        }
    }

    /** The feed's or the catch-up's failure, thrown on as it was, so the runtime reports its own type and message. */
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
