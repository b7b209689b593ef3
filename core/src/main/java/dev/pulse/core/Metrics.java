package dev.pulse.core;

import java.util.Map;

/** Counters over all items, read in O(1) from one counter record. */
public record Metrics(long total, long positive, long neutral, long negative, Map<String, Long> byTag,
                      String updatedAt) {

    public Metrics {
        byTag = Map.copyOf(byTag);
    }

    public static Metrics empty() {
        return new Metrics(0, 0, 0, 0, Map.of(), null);
    }
}
