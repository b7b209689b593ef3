package dev.pulse.core;

import java.util.List;

/**
 * The outcome of a batch write: the stored items, in the order given (their ids contiguous), and whether an earlier
 * write with the same {@link IdempotencyKey} stored them (then nothing new was stored).
 */
public record BatchIngest(List<Item> items, boolean replayed) {

    public BatchIngest {
        items = List.copyOf(items);
    }
}
