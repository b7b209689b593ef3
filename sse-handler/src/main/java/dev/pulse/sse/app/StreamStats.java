package dev.pulse.sse.app;

import java.util.ArrayList;
import java.util.List;

/**
 * What one stream did, for its log lines and metrics: written by the stream's writer (events, items, heartbeats,
 * delivery lag) and by its poller (poll latency and failures), read by the writer. Totals for the end line; the
 * samples and counts since the last {@link #drain()}, for the metrics, so no value is counted twice.
 */
final class StreamStats {

    /** The counts and samples since the previous drain. */
    record Window(long events, long items, long pollFailures, List<Long> pollMillis, List<Long> lagMillis) {
    }

    private long events;
    private long items;
    private long heartbeats;
    private long pollFailures;
    private long eventsInWindow;
    private long itemsInWindow;
    private long pollFailuresInWindow;
    private List<Long> pollMillis = new ArrayList<>();
    private List<Long> lagMillis = new ArrayList<>();

    synchronized void event() {
        events++;
        eventsInWindow++;
    }

    /** A {@code new_item} event; {@code lagMillis} is null for an item that is not live (a replay). */
    synchronized void item(Long lagMillis) {
        items++;
        itemsInWindow++;
        if (lagMillis != null) {
            this.lagMillis.add(lagMillis);
        }
    }

    synchronized void heartbeat() {
        heartbeats++;
    }

    synchronized void polled(long nanos) {
        pollMillis.add(Math.round(nanos / 1e6));
    }

    synchronized void pollFailed() {
        pollFailures++;
        pollFailuresInWindow++;
    }

    /** More samples than one metric document may carry are waiting. */
    synchronized boolean full(int maxValues) {
        return pollMillis.size() >= maxValues || lagMillis.size() >= maxValues;
    }

    synchronized Window drain() {
        Window window = new Window(eventsInWindow, itemsInWindow, pollFailuresInWindow, pollMillis, lagMillis);
        eventsInWindow = 0;
        itemsInWindow = 0;
        pollFailuresInWindow = 0;
        pollMillis = new ArrayList<>();
        lagMillis = new ArrayList<>();
        return window;
    }

    synchronized long events() {
        return events;
    }

    synchronized long items() {
        return items;
    }

    synchronized long heartbeats() {
        return heartbeats;
    }

    synchronized long pollFailures() {
        return pollFailures;
    }
}
