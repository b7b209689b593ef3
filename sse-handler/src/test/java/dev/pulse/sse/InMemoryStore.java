package dev.pulse.sse;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemPage;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import dev.pulse.core.NewItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A store in memory for the protocol tests (the DynamoDB store is exercised in {@link StreamResumeTest}),
 * with hooks that make {@code after} or {@code metrics} fail on chosen calls.
 */
final class InMemoryStore implements ItemStore {

    private final TreeMap<String, Item> items = new TreeMap<>();
    private final ItemId.Generator ids = new ItemId.Generator();
    final AtomicInteger afterCalls = new AtomicInteger();
    /** When true, {@code after(id)} also returns the item with that id (a store whose range is inclusive). */
    volatile boolean afterIncludesCursor;
    /** Given the 1-based call number, an exception to throw from {@code after}, or null. */
    volatile IntFunction<RuntimeException> afterFailure = call -> null;
    volatile RuntimeException metricsFailure;

    @Override
    public synchronized Item put(NewItem n) {
        Item item = new Item(ids.next(), n.tag(), n.label(), n.score(), n.text(), n.source(), Instant.now().toString());
        items.put(item.id(), item);
        return item;
    }

    /** Stores an item with a chosen id: how a write that committed late looks to a poller. */
    synchronized Item putWithId(String id, String tag) {
        Item item = new Item(id, tag, "neutral", 0.5, "late", null, Instant.now().toString());
        items.put(id, item);
        return item;
    }

    Item put(String tag, String text) {
        return put(new NewItem(tag, "positive", 0.9, text, "test"));
    }

    @Override
    public synchronized Metrics metrics() {
        if (metricsFailure != null) {
            throw metricsFailure;
        }
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
        return new Metrics(items.size(), pos, neu, neg, byTag, updated);
    }

    @Override
    public synchronized ItemPage newest(int limit, String tag, String before) {
        List<Item> out = new ArrayList<>();
        for (Item item : (before == null ? items : items.headMap(before, false)).descendingMap().values()) {
            if (tag == null || tag.equals(item.tag())) {
                out.add(item);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return new ItemPage(out, null);
    }

    @Override
    public List<Item> after(String id, Set<String> tags, int limit) {
        RuntimeException failure = afterFailure.apply(afterCalls.incrementAndGet());
        if (failure != null) {
            throw failure;
        }
        synchronized (this) {
            List<Item> out = new ArrayList<>();
            for (Item item : (id == null ? items : items.tailMap(id, afterIncludesCursor)).values()) {
                if (tags.isEmpty() || tags.contains(item.tag())) {
                    out.add(item);
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
            return out;
        }
    }

    @Override
    public void ping() {
    }

    @Override
    public String tableName() {
        return "memory";
    }
}
