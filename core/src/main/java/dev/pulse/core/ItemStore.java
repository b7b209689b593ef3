package dev.pulse.core;

import java.util.List;
import java.util.Set;

/** Where items and their metric counters live. Every failure surfaces as {@link StoreUnavailableException}. */
public interface ItemStore {

    /** Stores the item and counts it in the metrics, atomically; returns it with {@code id} and {@code ts}. */
    Item put(NewItem item);

    /** The counters over all items, read in O(1). */
    Metrics metrics();

    /**
     * Newest items first.
     *
     * @param tag    only this tag, or null for all
     * @param before exclusive cursor (an item id): only items older than it, or null to start at the newest
     */
    ItemPage newest(int limit, String tag, String before);

    /**
     * Items with an id strictly greater than {@code id}, oldest first: the stream's resume and poll query.
     *
     * @param id   exclusive lower bound; null means from the first item
     * @param tags only these tags; empty means all
     */
    List<Item> after(String id, Set<String> tags, int limit);

    /** Throws {@link StoreUnavailableException} when the table cannot be read. */
    void ping();

    String tableName();
}
