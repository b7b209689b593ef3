package dev.pulse.core;

import java.util.regex.Pattern;

/**
 * Item ids: the item's sequence number, zero-padded to {@value #LENGTH} digits, e.g.
 * {@code 0000000000000042}. A writer takes the next number in the same transaction that stores the item
 * (see {@code SequencedWriter}), so the numbers are dense (1, 2, 3, ...) and plain string order is
 * commit order. The id is also the SSE event id.
 */
public final class ItemId {

    public static final int LENGTH = 16;
    /** The position before the first item: a stream resumed from it replays every item. */
    public static final String ZERO = of(0);
    private static final Pattern ID = Pattern.compile("\\d{" + LENGTH + "}");

    private ItemId() {
    }

    public static String of(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("a sequence number is never negative: " + sequence);
        }
        return String.format("%0" + LENGTH + "d", sequence);
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The sequence number of a valid id. */
    public static long sequenceOf(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("not an item id: " + id);
        }
        return Long.parseLong(id);
    }
}
