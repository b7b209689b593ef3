package dev.pulse.sse.app;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import dev.pulse.core.StoreUnavailableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Finds new items on its own thread and hands them to the stream's writer through a bounded queue, so a
 * slow or failing DynamoDB call never delays a heartbeat, and a reader far behind never holds more than a
 * few pages in memory (the poller waits while the queue is full).
 *
 * <p>The stream's position is a sequence number: every item up to it has been handed over (or filtered
 * out). Items are numbered densely in commit order (see {@link ItemStore}), so the next item is always
 * {@code position + 1}: a number that is taken but not visible yet is a commit being applied, and the
 * poller waits for it rather than skipping it. That is what makes delivery exactly once and in order,
 * whatever the number of writers.
 *
 * <p>An idle round is one small read ({@link ItemStore#lastSequence()}). When it moved, the poller reads the
 * metrics first, then every item up to the total they count, then sends the metrics: so the totals a
 * client sees are never ahead of the items it has.
 *
 * <p>A failed read ({@link StoreUnavailableException}) is retried with exponential backoff (up to
 * {@value #MAX_BACKOFF_MS} ms) while the stream goes on heartbeating; any other {@link Throwable} ends the
 * stream with the error trailers.
 */
final class ItemPoller implements Runnable {

    static final long MAX_BACKOFF_MS = 30_000;
    /** How soon to look again for a number that is taken but whose item is not visible yet. */
    static final long MISSING_RETRY_MS = 20;
    /** A number missing this long is skipped with a log line: only an item deleted by hand can cause that. */
    static final Duration GIVE_UP_ON_MISSING = Duration.ofSeconds(30);
    /** Updates in flight to the writer; each holds at most {@link ItemStore#MAX_RANGE} items. */
    static final int QUEUE_CAPACITY = 4;

    sealed interface Update permits NewItems, MetricsChanged, Failed {
    }

    record NewItems(List<Item> items) implements Update {
    }

    /** The counters, sent once every item they count has been sent; their id is {@link Metrics#lastId()}. */
    record MetricsChanged(Metrics metrics) implements Update {
    }

    record Failed(Throwable error) implements Update {
    }

    enum Round { IDLE, MISSING }

    private final ItemStore store;
    private final Set<String> tags;
    private final long pollMillis;
    private final BlockingQueue<Update> updates;
    private final StreamStats stats;
    private final Consumer<String> warnings;
    /** Time spent in store calls in the current round: the round's poll latency, without waits on the queue. */
    private long roundStoreNanos;
    private long position;
    /** The metrics the client has (null: none yet, send them after catching up). */
    private Metrics sent;
    /** Metrics already read whose items are still to be sent (a resume's snapshot, or a round cut short). */
    private Metrics pending;
    private long missingSinceNanos;
    /** {@link #GIVE_UP_ON_MISSING}, shorter in tests. */
    Duration giveUpOnMissing = GIVE_UP_ON_MISSING;
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param position the client has every item up to this number
     * @param sent     the metrics the client has, or null
     * @param pending  metrics read at stream start to catch up to, or null
     */
    ItemPoller(ItemStore store, Set<String> tags, long position, Metrics sent, Metrics pending, Duration pollInterval,
               BlockingQueue<Update> updates) {
        this(store, tags, position, sent, pending, pollInterval, updates, new StreamStats(), System.err::println);
    }

    /**
     * @param stats    where each round's poll latency and each failed round go
     * @param warnings what the poller has to say (failed rounds, a number given up on): the stream's WARN lines
     */
    ItemPoller(ItemStore store, Set<String> tags, long position, Metrics sent, Metrics pending, Duration pollInterval,
               BlockingQueue<Update> updates, StreamStats stats, Consumer<String> warnings) {
        this.store = store;
        this.stats = stats;
        this.warnings = warnings;
        this.tags = Set.copyOf(tags);
        this.position = position;
        this.sent = sent;
        this.pending = pending;
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

    /** False once the thread has ended for any reason (it reports why through the queue when it can). */
    boolean running() {
        return thread == null || thread.isAlive();
    }

    @Override
    public void run() {
        int failures = 0;
        while (!stopped) {
            long waitMillis;
            roundStoreNanos = 0;
            try {
                waitMillis = pollOnce() == Round.MISSING ? MISSING_RETRY_MS : pollMillis;
                stats.polled(roundStoreNanos);
                failures = 0;
            } catch (StoreUnavailableException e) {
                if (stopped) {
                    return;
                }
                failures++;
                stats.pollFailed();
                waitMillis = backoffMillis(failures);
                warnings.accept("poll failed (" + failures + " in a row), retrying in " + waitMillis + " ms: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {   // a bug or an Error: end the stream now instead of heartbeating on
                report(e);
                return;
            }
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void report(Throwable error) {
        if (stopped) {
            return;
        }
        try {
            updates.put(new Failed(error));
        } catch (InterruptedException stoppedMeanwhile) {
            // the writer ended the stream first
        }
    }

    long backoffMillis(int failures) {
        long delay = pollMillis << Math.min(failures - 1, 10);
        return Math.min(delay, MAX_BACKOFF_MS);
    }

    /** One round; blocks while the writer's queue is full. */
    Round pollOnce() throws InterruptedException {
        Metrics target = pending;
        pending = null;
        if (target == null) {
            if (sent != null && read(store::lastSequence) <= position) {
                return Round.IDLE;
            }
            target = read(store::metrics);
        }
        while (position < target.total()) {
            long before = position;
            List<Item> fresh = new ArrayList<>();
            long upTo = target.total();
            for (Item item : read(() -> store.range(before, upTo))) {
                long number = ItemId.sequenceOf(item.id());
                if (number <= position) {
                    continue;   // not asked for; harmless
                }
                if (number != position + 1) {
                    break;      // position + 1 is not visible yet
                }
                position = number;
                if (tags.isEmpty() || tags.contains(item.tag())) {
                    fresh.add(item);
                }
            }
            if (!fresh.isEmpty()) {
                updates.put(new NewItems(List.copyOf(fresh)));
            }
            if (position == before && !giveUpOn(position + 1)) {
                pending = target;
                return Round.MISSING;
            }
            missingSinceNanos = 0;
        }
        if (!target.equals(sent)) {
            updates.put(new MetricsChanged(target));
            sent = target;
        }
        return Round.IDLE;
    }

    private <T> T read(Supplier<T> call) {
        long begun = System.nanoTime();
        try {
            return call.get();
        } finally {
            roundStoreNanos += System.nanoTime() - begun;
        }
    }

    /** True (and the number skipped) when it has been missing for {@link #GIVE_UP_ON_MISSING}. */
    private boolean giveUpOn(long number) {
        long now = System.nanoTime();
        if (missingSinceNanos == 0) {
            missingSinceNanos = now;
            return false;
        }
        if (now - missingSinceNanos < giveUpOnMissing.toNanos()) {
            return false;
        }
        warnings.accept("item " + ItemId.of(number) + " is numbered but never became readable in "
                + giveUpOnMissing.toMillis() + " ms; skipping it (was it deleted?)");
        position = number;
        missingSinceNanos = 0;
        return true;
    }

    long position() {
        return position;
    }
}
