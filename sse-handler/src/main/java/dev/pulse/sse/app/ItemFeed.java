package dev.pulse.sse.app;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import dev.pulse.core.StoreUnavailableException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The one poller of an execution environment, however many streams it serves: one small read of the head record
 * per poll interval, each new item read once, handed to every stream by its position and tag filter. With
 * Lambda Managed Instances an environment serves many streams, and this is what keeps an idle environment at one
 * read per interval and the table's head record off a read per stream.
 *
 * <p>A resumed stream reads what it missed from the table on its own ({@link FeedSubscription}) and then joins; the feed
 * keeps the newest {@link #WINDOW} items it read, so a stream that joins after them (a caught-up one, or a fresh one
 * that started from older counters) takes the gap from memory. A stream that falls {@link UpdateQueue#LIVE_CAPACITY}
 * updates behind is handed back to its own catch-up, so a slow client never slows the others and never grows memory.
 * Joining and every hand-over happen under this object's lock, between two of the feed's publications: no gap, no
 * repeat.
 *
 * <p>The feed runs while streams are joined to it. When the last one leaves it forgets its position and its
 * window, and the next stream to join gives it a new start.
 *
 * <p>A failed read ({@link StoreUnavailableException}) is retried with exponential backoff (up to
 * {@value #MAX_BACKOFF_MS} ms) while the streams go on heartbeating; any other {@link Throwable} ends every joined
 * stream with the error trailers, and the feed starts over with the next stream.
 */
final class ItemFeed {

    /** Items kept in memory for streams that join after them. */
    static final int WINDOW = 2_000;
    static final long MAX_BACKOFF_MS = 30_000;

    private final ItemStore store;
    private final Duration pollInterval;
    private final Duration giveUpOnMissing;
    private final Consumer<String> warnings;

    // Guarded by this object's lock.
    private final List<FeedSubscription> joined = new ArrayList<>();
    private final ArrayDeque<Item> window = new ArrayDeque<>();
    /** Every readable item numbered after this one and up to {@link #position} is in the window; -1: no start yet. */
    private long windowStart = -1;
    private long position = -1;
    /** The counters as of the last round: they count the items up to {@link #position}. */
    private Metrics metrics;
    private long lastRoundNanos;
    private Thread thread;
    /** The counters read for the streams starting now, while no round is recent, and the last such read. */
    private CompletableFuture<Metrics> startRead;
    private Metrics startCounters;
    private long startCountersNanos;
    // The feed thread's own: the counters a round read while a number was missing (the next round goes on to
    // them), and the reader that waits for that number.
    private Metrics pending;
    private ItemSequence sequenceReader;

    /** @param warnings where the feed's own lines go (failed rounds, a number given up on): the environment's WARN lines */
    ItemFeed(ItemStore store, Duration pollInterval, Duration giveUpOnMissing, Consumer<String> warnings) {
        this.store = store;
        this.pollInterval = pollInterval;
        this.giveUpOnMissing = giveUpOnMissing;
        this.warnings = warnings;
    }

    /**
     * A stream of its own on this feed. A fresh one joins at once when it can; a resumed one first reads what it missed
     * from the table with its own strongly consistent range reads, up to the counters it started with, as a resume
     * must wherever it lands, and then joins.
     */
    FeedSubscription subscribe(StreamSession.Start start, Set<String> tags, StreamStats stats, Consumer<String> streamWarnings) {
        FeedSubscription subscription = new FeedSubscription(this, store, tags, start, stats, streamWarnings,
                new ItemSequence(store, giveUpOnMissing, streamWarnings));
        if (!start.fresh()) {
            subscription.catchUp(start.snapshot());
        } else if (!tryJoin(subscription)) {
            subscription.catchUp(null);
        }
        return subscription;
    }

    /**
     * The counters a new stream starts from: the last round's, or the last start's read, when it is at most one poll
     * interval old, else one strongly consistent read shared by every stream that starts meanwhile. Streams start together after a rotation,
     * and on Managed Instances a thousand of them in one environment: they cost no read, or one.
     */
    Metrics snapshotForStart() {
        CompletableFuture<Metrics> read;
        boolean mine = false;
        synchronized (this) {
            Metrics recent = recentSnapshot();
            if (recent != null) {
                return recent;
            }
            if (startRead == null) {
                startRead = new CompletableFuture<>();
                mine = true;
            }
            read = startRead;
        }
        if (mine) {
            try {
                Metrics counters = store.metrics();
                synchronized (this) {
                    startCounters = counters;
                    startCountersNanos = System.nanoTime();
                }
                read.complete(counters);
            } catch (RuntimeException | Error e) {
                read.completeExceptionally(e);
            } finally {
                synchronized (this) {
                    startRead = null;
                }
            }
        }
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The counters as of the last round, or of the last read for starting streams, when it is at most one poll interval
     * old; else null.
     */
    synchronized Metrics recentSnapshot() {
        long now = System.nanoTime();
        if (metrics != null && now - lastRoundNanos <= pollInterval.toNanos()) {
            return metrics;
        }
        return startCounters != null && now - startCountersNanos <= pollInterval.toNanos() ? startCounters : null;
    }

    /**
     * After a SnapStart restore: counters read before the snapshot are as old as it, while {@link System#nanoTime}
     * need not have counted the time between, so they must not pass for recent. (Rounds' counters go with the feed's
     * thread, which no stream keeps running across a snapshot: Lambda takes it after init, before any invocation.)
     */
    synchronized void forgetStartCounters() {
        startCounters = null;
    }

    /** The newest counters the feed has, or null before its first round. */
    synchronized Metrics latest() {
        return metrics;
    }

    /**
     * Joins {@code subscription} to the feed when the window holds what it lacks and its queue has room for it: that
     * backlog and the newest counters are queued, and from then on the feed gives it every item. With no feed
     * running, a subscription that has its counters (a fresh one, or one that caught up) gives the feed its start; one
     * that still has to replay does that on its own first, so the feed never pages through one stream's past.
     */
    synchronized boolean tryJoin(FeedSubscription subscription) {
        if (position < 0) {
            if (subscription.sentMetrics() == null) {
                return false;
            }
            position = subscription.position();
            windowStart = position;
            metrics = subscription.sentMetrics();
            lastRoundNanos = System.nanoTime();
            joined.add(subscription);
            startThread();
            return true;
        }
        if (subscription.position() < windowStart) {
            return false;   // what it lacks is no longer in memory: it reads it from the table
        }
        if (!subscription.hasLiveRoom(2)) {
            return false;
        }
        List<Item> backlog = new ArrayList<>();
        for (Item item : window) {
            if (ItemId.sequenceOf(item.id()) > subscription.position()) {
                backlog.add(item);
            }
        }
        subscription.deliverItems(backlog, position);
        if (metrics != null) {
            subscription.deliverMetrics(metrics);
        }
        joined.add(subscription);
        if (thread == null) {
            startThread();
        }
        return true;
    }

    synchronized void leave(FeedSubscription subscription) {
        joined.remove(subscription);
    }

    /** True while the feed's thread runs (a stream joined to it ends if it stops without a word). */
    synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    private void startThread() {
        thread = Thread.ofPlatform().daemon().name("sse-feed").start(this::run);
    }

    private void run() {
        int failures = 0;
        boolean stalled = false;
        while (true) {
            synchronized (this) {
                if (joined.isEmpty()) {
                    forget();
                    return;
                }
            }
            long waitMillis;
            try {
                long began = System.nanoTime();
                stalled = round(stalled);
                long roundNanos = System.nanoTime() - began;
                failures = 0;
                // Rounds start once per interval, however long one took: the interval is what delivery waits at most.
                waitMillis = stalled ? ItemSequence.MISSING_RETRY_MS
                        : Math.max(0, pollInterval.toMillis() - roundNanos / 1_000_000);
                polled(roundNanos);
            } catch (StoreUnavailableException e) {
                failures++;
                waitMillis = backoffMillis(failures);
                pollFailed();
                warnings.accept("poll failed (" + failures + " in a row), retrying in " + waitMillis + " ms: " + e.getMessage());
            } catch (Throwable e) {   // a bug or an Error: end the joined streams now instead of heartbeating on
                failAll(e);
                return;
            }
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round; true when the next number is taken but not readable yet. */
    private boolean round(boolean resuming) {
        Metrics target = resuming ? pending : null;
        pending = null;
        long reached;
        synchronized (this) {
            reached = position;
        }
        if (target == null) {
            long head = store.lastSequence();
            synchronized (this) {
                if (head <= position && metrics != null) {
                    lastRoundNanos = System.nanoTime();
                    return false;
                }
            }
            target = store.metrics();
        }
        ItemSequence sequence = sequence();
        while (reached < target.total()) {
            ItemSequence.Run run = sequence.next(reached, target.total());
            if (run.stalled()) {
                pending = target;
                return true;
            }
            publish(run);
            reached = run.position();
        }
        publish(target);
        return false;
    }

    private ItemSequence sequence() {
        if (sequenceReader == null) {
            sequenceReader = new ItemSequence(store, giveUpOnMissing, warnings);
        }
        return sequenceReader;
    }

    /** New items: into the window, then to every joined stream; a stream whose queue is full goes back to catching up. */
    private synchronized void publish(ItemSequence.Run run) {
        for (Item item : run.items()) {
            window.addLast(item);
            if (window.size() > WINDOW) {
                windowStart = ItemId.sequenceOf(window.removeFirst().id());
            }
        }
        position = run.position();
        for (FeedSubscription subscription : List.copyOf(joined)) {
            if (!subscription.deliverItems(run.items(), position)) {
                fallBehind(subscription);
            }
        }
    }

    /** New counters, after the items they count. */
    private synchronized void publish(Metrics counted) {
        lastRoundNanos = System.nanoTime();
        if (counted.equals(metrics)) {
            return;
        }
        metrics = counted;
        for (FeedSubscription subscription : List.copyOf(joined)) {
            if (!subscription.deliverMetrics(counted)) {
                fallBehind(subscription);
            }
        }
    }

    private void fallBehind(FeedSubscription subscription) {
        joined.remove(subscription);
        subscription.catchUp(null);
    }

    private synchronized void polled(long nanos) {
        joined.forEach(s -> s.stats().polled(nanos));
    }

    private synchronized void pollFailed() {
        joined.forEach(s -> s.stats().pollFailed());
    }

    private synchronized void failAll(Throwable error) {
        joined.forEach(s -> s.fail(error));
        joined.clear();
        forget();
    }

    /** No stream left: the next one gives the feed a new start. */
    private void forget() {
        window.clear();
        windowStart = -1;
        position = -1;
        metrics = null;
        pending = null;
        sequenceReader = null;
        thread = null;
    }

    long backoffMillis(int failures) {
        long delay = pollInterval.toMillis() << Math.min(failures - 1, 10);
        return Math.min(delay, MAX_BACKOFF_MS);
    }
}
