package dev.pulse.sse.app;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import dev.pulse.core.StoreUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One stream's place on its environment's {@link ItemFeed}: its position (every item up to it has been queued for
 * the stream or filtered out), its tag filter, the counters it was given, and its {@link UpdateQueue}. It is either
 * joined to the feed, which then moves it on, or catching up on a thread of its own: reading the items it lacks from
 * the table (strongly consistent range reads, as a resume must), in the same number order, then joining. The hand-over
 * either way happens under the feed's lock.
 */
final class FeedSubscription {

    private final ItemFeed feed;
    private final ItemStore store;
    private final Set<String> tags;
    private final StreamStats stats;
    private final Consumer<String> warnings;
    private final ItemSequence sequence;
    private final UpdateQueue queue = new UpdateQueue();
    // Owned by the catch-up thread while it runs, else guarded by the feed's lock.
    private long position;
    private Metrics sent;
    private volatile Thread catchUp;
    private volatile boolean closed;

    FeedSubscription(ItemFeed feed, ItemStore store, Set<String> tags, StreamSession.Start start, StreamStats stats,
                     Consumer<String> warnings, ItemSequence sequence) {
        this.feed = feed;
        this.store = store;
        this.tags = Set.copyOf(tags);
        this.stats = stats;
        this.warnings = warnings;
        this.sequence = sequence;
        this.position = start.position();
        this.sent = start.fresh() ? start.snapshot() : null;
    }

    /** The writer's next update, waiting up to {@code timeoutNanos}; null when none came. */
    Update poll(long timeoutNanos) throws InterruptedException {
        return queue.poll(timeoutNanos);
    }

    /** False once nothing can bring this stream an update any more (its catch-up or the feed stopped without a word). */
    boolean alive() {
        Thread reader = catchUp;
        return reader != null ? reader.isAlive() || feed.running() : feed.running();
    }

    int queued() {
        return queue.size();
    }

    /** The stream ended: off the feed, its catch-up stopped. */
    void close() {
        closed = true;
        feed.leave(this);
        Thread reader = catchUp;
        if (reader != null) {
            reader.interrupt();
        }
    }

    // ---- called by the feed, under its lock ----

    long position() {
        return position;
    }

    Metrics sentMetrics() {
        return sent;
    }

    StreamStats stats() {
        return stats;
    }

    boolean hasLiveRoom(int updates) {
        return queue.hasLiveRoom(updates);
    }

    /** The items of {@code items} after its position and of its tags; false (and nothing queued) when it is too far behind. */
    boolean deliverItems(List<Item> items, long upTo) {
        List<Item> mine = mine(items);
        if (!mine.isEmpty() && !queue.offerLive(new Update.NewItems(mine))) {
            return false;
        }
        position = Math.max(position, upTo);
        return true;
    }

    /** New counters, unless they are older than what it has (ids never go backwards); false when it is too far behind. */
    boolean deliverMetrics(Metrics metrics) {
        if (metrics.total() < position || metrics.equals(sent)) {
            return true;
        }
        if (!queue.offerLive(new Update.MetricsChanged(metrics))) {
            return false;
        }
        sent = metrics;
        return true;
    }

    void fail(Throwable error) {
        queue.fail(error);
    }

    /** Reads what it lacks from the table, up to {@code target} (null: the feed's newest counters), then joins the feed. */
    void catchUp(Metrics target) {
        catchUp = Thread.ofVirtual().name("sse-catch-up").start(() -> catchUpThenJoin(target));
    }

    private void catchUpThenJoin(Metrics firstTarget) {
        Metrics target = firstTarget;
        int failures = 0;
        while (!closed) {
            try {
                if (target == null) {
                    target = feed.latest();
                    if (target == null) {
                        target = timed(() -> store.metrics());
                    }
                }
                replayTo(target);
                if (target.total() >= position && !target.equals(sent)) {
                    queue.putReplay(new Update.MetricsChanged(target));
                    sent = target;
                }
                if (feed.tryJoin(this)) {
                    return;
                }
                target = null;   // the feed moved on while this one read: go on to where it is now
                failures = 0;
            } catch (StoreUnavailableException e) {
                failures++;
                stats.pollFailed();
                long waitMillis = feed.backoffMillis(failures);
                warnings.accept("catch-up read failed (" + failures + " in a row), retrying in " + waitMillis + " ms: "
                        + e.getMessage());
                if (!sleep(waitMillis)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {   // a bug or an Error: end the stream now instead of heartbeating on
                queue.fail(e);
                return;
            }
        }
    }

    /** Every item after the position up to the target's total, in pages through the bounded queue. */
    private void replayTo(Metrics target) throws InterruptedException {
        while (position < target.total() && !closed) {
            long from = position;
            ItemSequence.Run run = timed(() -> sequence.next(from, target.total()));
            if (run.stalled()) {
                if (!sleep(ItemSequence.MISSING_RETRY_MS)) {
                    throw new InterruptedException("stream ended");
                }
                continue;
            }
            List<Item> mine = mine(run.items());
            if (!mine.isEmpty()) {
                queue.putReplay(new Update.NewItems(mine));
            }
            position = run.position();
        }
    }

    /** The items after its position and of its tags; the list itself when that is all of it. */
    private List<Item> mine(List<Item> items) {
        boolean all = tags.isEmpty() && (items.isEmpty() || ItemId.sequenceOf(items.getFirst().id()) > position);
        if (all) {
            return items;
        }
        List<Item> mine = new ArrayList<>();
        for (Item item : items) {
            if (ItemId.sequenceOf(item.id()) > position && (tags.isEmpty() || tags.contains(item.tag()))) {
                mine.add(item);
            }
        }
        return mine;
    }

    private <T> T timed(Supplier<T> read) {
        long began = System.nanoTime();
        try {
            return read.get();
        } finally {
            stats.polled(System.nanoTime() - began);
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
