package dev.pulse.sse;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import dev.pulse.core.StoreUnavailableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;

/**
 * Finds new items by querying the table every poll interval, on its own thread, and hands them to the
 * stream's writer through a queue, so a slow or failing DynamoDB call never delays a heartbeat.
 *
 * <p>Look-back: an item's id is assigned before its write commits, so an item can become visible after a
 * later-numbered one. Each poll therefore re-reads from {@value #LOOKBACK_MS} ms before the newest id seen
 * and skips ids it already sent (a set bounded to that window). Items at or below {@code floor} (the resume
 * id, or the newest id at stream start) are never sent: the client has them, or they predate the stream.
 *
 * <p>A failed poll ({@link StoreUnavailableException}) is retried with exponential backoff (up to
 * {@value #MAX_BACKOFF_MS} ms); any other exception ends the stream with the error trailers.
 */
final class ItemPoller implements Runnable {

    static final int BATCH = 100;
    static final long LOOKBACK_MS = 2_000;
    /** Pages per round: a long catch-up is sent in slices instead of read whole into memory first. */
    static final int MAX_PAGES_PER_ROUND = 10;
    static final long MAX_BACKOFF_MS = 30_000;
    private static final int MAX_RECENT = 20_000;

    sealed interface Update permits NewItems, MetricsChanged, Failed {
    }

    record NewItems(List<Item> items) implements Update {
    }

    /** Sent after every batch of new items and whenever the counters change. */
    record MetricsChanged(Metrics metrics) implements Update {
    }

    record Failed(RuntimeException error) implements Update {
    }

    private final ItemStore store;
    private final Set<String> tags;
    private final String floor;
    private final long pollMillis;
    private final BlockingQueue<Update> updates;
    private final NavigableSet<String> recent = new TreeSet<>();
    private String highest;
    /** Where a round that stopped at {@link #MAX_PAGES_PER_ROUND} left off; null when caught up. */
    private String continuation;
    private Metrics lastMetrics;
    private volatile boolean stopped;
    private Thread thread;

    ItemPoller(ItemStore store, Set<String> tags, String floor, Metrics snapshot, Duration pollInterval,
               BlockingQueue<Update> updates) {
        this.store = store;
        this.tags = Set.copyOf(tags);
        this.floor = floor;
        this.highest = floor;
        this.lastMetrics = snapshot;
        this.pollMillis = pollInterval.toMillis();
        this.updates = updates;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("sse-poller").start(this);
    }

    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public void run() {
        int failures = 0;
        while (!stopped) {
            long waitMillis;
            try {
                waitMillis = pollOnce() ? 0 : pollMillis;
                failures = 0;
            } catch (StoreUnavailableException e) {
                if (stopped) {
                    return;
                }
                failures++;
                waitMillis = backoffMillis(failures);
                System.err.println("sse: poll failed (" + failures + " in a row), retrying in " + waitMillis
                        + " ms: " + e.getMessage());
            } catch (RuntimeException e) {
                if (!stopped) {
                    updates.add(new Failed(e));
                }
                return;
            }
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long backoffMillis(int failures) {
        long delay = pollMillis << Math.min(failures - 1, 10);
        return Math.min(delay, MAX_BACKOFF_MS);
    }

    /**
     * One round: pages of {@code after(from)}, then the counters; state changes only after both reads
     * worked, so a failed round loses nothing. Returns true when more pages are waiting (poll again now).
     */
    boolean pollOnce() {
        List<Item> fresh = new ArrayList<>();
        String from = queryStart();
        boolean more = false;
        for (int page = 0; page < MAX_PAGES_PER_ROUND; page++) {
            List<Item> items = store.after(from, tags, BATCH);
            for (Item item : items) {
                if (item.id().compareTo(floor) > 0 && !recent.contains(item.id())) {
                    fresh.add(item);
                }
            }
            more = items.size() >= BATCH;
            if (!more) {
                break;
            }
            from = items.getLast().id();
        }
        Metrics metrics = store.metrics();
        continuation = more ? from : null;
        if (!fresh.isEmpty()) {
            for (Item item : fresh) {
                recent.add(item.id());
                if (item.id().compareTo(highest) > 0) {
                    highest = item.id();
                }
            }
            updates.add(new NewItems(List.copyOf(fresh)));
        }
        if (!fresh.isEmpty() || !metrics.equals(lastMetrics)) {
            updates.add(new MetricsChanged(metrics));
            lastMetrics = metrics;
        }
        prune();
        return more;
    }

    /**
     * The exclusive lower bound of a poll: where the last round stopped when it was cut short, else the
     * look-back window below the newest id, never below the floor.
     */
    String queryStart() {
        if (continuation != null) {
            return continuation;   // still catching up: re-reading the look-back window could loop forever
        }
        String lookBack = ItemId.lowerBound(ItemId.millisOf(highest) - LOOKBACK_MS);
        return lookBack.compareTo(floor) > 0 ? lookBack : floor;
    }

    private void prune() {
        recent.headSet(ItemId.lowerBound(ItemId.millisOf(highest) - LOOKBACK_MS)).clear();
        while (recent.size() > MAX_RECENT) {
            recent.pollFirst();
        }
    }
}
