package dev.pulse.core;

import java.util.Map;

/**
 * Counters over all items, read in O(1): the totals come from one counter record, the per-tag counts from
 * the per-tag counters (at most {@link ItemStore#MAX_TAGS_IN_METRICS}; {@code byTagTruncated} says when more
 * exist). {@code byTag} is each tag's total, {@code byTagLabels} the same split by label.
 *
 * <p>{@code total} is also the sequence number of the newest item these counters include: every item takes
 * the next number in the transaction that counts it. So a stream that has sent every item up to
 * {@code ItemId.of(total)} is exactly as far as these metrics.
 */
public record Metrics(long total, long positive, long neutral, long negative, Map<String, Long> byTag,
                      Map<String, LabelCounts> byTagLabels, boolean byTagTruncated, String updatedAt) {

    public Metrics {
        byTag = Map.copyOf(byTag);
        byTagLabels = Map.copyOf(byTagLabels);
    }

    /** Counters without the per-label split of each tag (stores that keep none). */
    public Metrics(long total, long positive, long neutral, long negative, Map<String, Long> byTag, String updatedAt) {
        this(total, positive, neutral, negative, byTag, Map.of(), false, updatedAt);
    }

    public static Metrics empty() {
        return new Metrics(0, 0, 0, 0, Map.of(), null);
    }

    /** The id of the newest item counted here ({@link ItemId#ZERO} when there is none). */
    public String lastId() {
        return ItemId.of(total);
    }
}
