package dev.pulse.sse.app;

import dev.pulse.core.Deadline;
import dev.pulse.core.IdempotencyKey;
import dev.pulse.core.Ingest;
import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemPage;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import dev.pulse.core.NewItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A store in memory for the protocol tests (the DynamoDB store is exercised in {@link StreamResumeTest}
 * and {@link ConcurrentDeliveryTest}). It numbers items as the real one does, can hold an item back (its
 * number taken, the item not readable yet: a commit still being applied), and can fail chosen reads.
 */
public final class InMemoryStore implements ItemStore {

    private final TreeMap<Long, Item> items = new TreeMap<>();
    private final Set<Long> heldBack = new HashSet<>();
    private long sequence;
    /** Reads the poller makes ({@code lastSequence} and {@code range}), counted from 1. */
    public final AtomicInteger pollReads = new AtomicInteger();
    /** Given the poll read's number, a {@link RuntimeException} or {@link Error} to throw, or null. */
    public volatile IntFunction<Throwable> pollReadFailure = call -> null;
    /** A {@link RuntimeException} or {@link Error} for {@code metrics()} to throw, or null. */
    public volatile Throwable metricsFailure;
    /** Reads of the head record ({@code lastSequence}), of the counters, and range reads, each counted. */
    public final AtomicInteger headReads = new AtomicInteger();
    public final AtomicInteger metricsReads = new AtomicInteger();
    public final AtomicInteger rangeReads = new AtomicInteger();
    /** Calls of {@code ping()}, and what it throws (a {@link RuntimeException} or {@link Error}), or null. */
    public final AtomicInteger pings = new AtomicInteger();
    public volatile Throwable pingFailure;

    @Override
    public synchronized Ingest put(NewItem n, IdempotencyKey key, Deadline deadline) {
        Item item = new Item(ItemId.of(++sequence), n.tag(), n.label(), n.score(), n.text(), n.source(),
                Instant.now().toString());
        items.put(sequence, item);
        return new Ingest(item, false);
    }

    public Item put(String tag, String text) {
        return put(new NewItem(tag, "positive", 0.9, text, "test"));
    }

    /** Takes the next number for an item that no read returns until {@link #release}. */
    public synchronized Item putHeldBack(String tag, String text) {
        Item item = put(tag, text);
        heldBack.add(ItemId.sequenceOf(item.id()));
        return item;
    }

    public synchronized void release(Item item) {
        heldBack.remove(ItemId.sequenceOf(item.id()));
    }

    @Override
    public synchronized long lastSequence() {
        headReads.incrementAndGet();
        failIfAsked();
        return sequence;
    }

    @Override
    public synchronized Metrics metrics() {
        metricsReads.incrementAndGet();
        raise(metricsFailure);
        long pos = 0;
        long neu = 0;
        long neg = 0;
        Map<String, Long> byTag = new HashMap<>();
        for (Item item : items.values()) {
            switch (item.label()) {
                case "positive" -> pos++;
                case "neutral" -> neu++;
                default -> neg++;
            }
            byTag.merge(item.tag(), 1L, Long::sum);
        }
        String updated = items.isEmpty() ? null : items.lastEntry().getValue().ts();
        return new Metrics(sequence, pos, neu, neg, byTag, updated);
    }

    @Override
    public synchronized ItemPage newest(int limit, String tag, String before) {
        List<Item> out = new ArrayList<>();
        for (Item item : items.descendingMap().values()) {
            if ((before == null || item.id().compareTo(before) < 0) && (tag == null || tag.equals(item.tag()))
                    && readable(item)) {
                out.add(item);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return new ItemPage(out, null);
    }

    @Override
    public synchronized Optional<Item> get(String id) {
        Item item = items.get(ItemId.sequenceOf(id));
        return item != null && readable(item) ? Optional.of(item) : Optional.empty();
    }

    @Override
    public synchronized List<Item> range(long after, long upTo) {
        rangeReads.incrementAndGet();
        failIfAsked();
        List<Item> out = new ArrayList<>();
        for (Item item : items.subMap(after, false, Math.min(upTo, after + MAX_RANGE), true).values()) {
            if (readable(item)) {
                out.add(item);
            }
        }
        return out;
    }

    private boolean readable(Item item) {
        return !heldBack.contains(ItemId.sequenceOf(item.id()));
    }

    private void failIfAsked() {
        raise(pollReadFailure.apply(pollReads.incrementAndGet()));
    }

    private static void raise(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    @Override
    public void ping() {
        pings.incrementAndGet();
        raise(pingFailure);
    }

    @Override
    public String tableName() {
        return "memory";
    }
}
