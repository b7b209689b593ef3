package dev.pulse.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where items and their counters live. Every failure surfaces as {@link StoreUnavailableException}.
 *
 * <p>Items are numbered in commit order, densely: the n-th committed item has sequence number n and id
 * {@code ItemId.of(n)}. Readers rely on that: a reader that has seen every item up to n knows the next one
 * is n + 1, so a number it cannot see yet is a write still being applied, never a skipped one.
 */
public interface ItemStore {

    /** At most this many tags are reported in {@link Metrics#byTag()}. */
    int MAX_TAGS_IN_METRICS = 1000;
    /** At most this many items per {@link #range} call. */
    int MAX_RANGE = 100;
    /** How long a write without an explicit deadline may take, retries included. */
    Duration DEFAULT_WRITE_TIME = Duration.ofSeconds(12);
    /**
     * At most this many items in one {@link #putAll}. A batch is one DynamoDB transaction, of at most 100 actions: the
     * head record, one put per item, one counter update per distinct tag (up to one per item) and the
     * {@code Idempotency-Key}'s record: 1 + 49 + 49 + 1 = 100.
     */
    int MAX_BATCH = 49;

    /**
     * Stores the item with the next sequence number and counts it, atomically. With a key, a repeat of the
     * same item within the key's retention returns the original ({@link Ingest#replayed()}) and stores
     * nothing; the same key with another item throws {@link IdempotencyKeyReusedException}. Gives up with
     * {@link StoreUnavailableException} at the deadline.
     *
     * @param key may be null
     */
    Ingest put(NewItem item, IdempotencyKey key, Deadline deadline);

    default Item put(NewItem item) {
        return put(item, null, Deadline.in(DEFAULT_WRITE_TIME)).item();
    }

    /**
     * Stores 1 to {@link #MAX_BATCH} items all or nothing, under contiguous sequence numbers in the order given,
     * and counts them, atomically. One key covers the batch: a repeat of the same items in the same order returns
     * the originals ({@link BatchIngest#replayed()}); the same key with anything else throws
     * {@link IdempotencyKeyReusedException}. Gives up with {@link StoreUnavailableException} at the deadline.
     *
     * <p>This default serves stores that have no atomic write of several items (test doubles): it stores a batch of
     * one as {@link #put} does and refuses more.
     *
     * @param key may be null
     * @throws IllegalArgumentException for an empty batch or one over {@link #MAX_BATCH}
     */
    default BatchIngest putAll(List<NewItem> items, IdempotencyKey key, Deadline deadline) {
        if (items.size() != 1) {
            throw new UnsupportedOperationException("this store writes one item at a time; it got " + items.size());
        }
        Ingest ingest = put(items.getFirst(), key, deadline);
        return new BatchIngest(List.of(ingest.item()), ingest.replayed());
    }

    /** The sequence number of the newest committed item (0 when none): one small strongly consistent read. */
    long lastSequence();

    /** The counters; {@code by_tag} agrees with the totals, and {@code total} is the newest item's number. */
    Metrics metrics();

    /**
     * Newest items first.
     *
     * @param tag    only this tag, or null for all
     * @param before exclusive cursor (an item id): only items older than it, or null to start at the newest
     */
    ItemPage newest(int limit, String tag, String before);

    Optional<Item> get(String id);

    /**
     * The items numbered {@code after + 1 .. upTo}, oldest first, read strongly consistently; at most
     * {@link #MAX_RANGE}. A number missing from the answer is a commit not yet visible: ask again.
     */
    List<Item> range(long after, long upTo);

    /** Throws {@link StoreUnavailableException} when the table cannot be read. */
    void ping();

    String tableName();
}
