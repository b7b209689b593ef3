package dev.pulse.sse.app;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads items in number order from a position, one range read at a time. Items are numbered densely in commit order
 * (see {@link ItemStore}), so the next item is always {@code position + 1}: a number that is taken but not readable
 * yet is a commit being applied, and the reader stops before it rather than skip it. That is what makes delivery
 * exactly once and in order, whatever the number of writers. Only a number missing for {@link #GIVE_UP_ON_MISSING}
 * (an item deleted by hand) is passed over, with a warning. One reader per thread.
 */
final class ItemSequence {

    /** How soon to look again for a number that is taken but whose item is not readable yet. */
    static final long MISSING_RETRY_MS = 20;
    /** A number missing this long is passed over with a warning: only an item deleted by hand can cause that. */
    static final Duration GIVE_UP_ON_MISSING = Duration.ofSeconds(30);

    /**
     * What one read found.
     *
     * @param items    the readable items after the position, contiguous from {@code position + 1}
     * @param position the position after them (past a number given up on, too)
     * @param stalled  the next number is taken but not readable yet: look again in {@link #MISSING_RETRY_MS}
     */
    record Run(List<Item> items, long position, boolean stalled) {
    }

    private final ItemStore store;
    private final Duration giveUpOnMissing;
    private final Consumer<String> warnings;
    private long missingSinceNanos;

    ItemSequence(ItemStore store, Duration giveUpOnMissing, Consumer<String> warnings) {
        this.store = store;
        this.giveUpOnMissing = giveUpOnMissing;
        this.warnings = warnings;
    }

    /** One range read of the items after {@code position}, up to {@code upTo} (at most {@link ItemStore#MAX_RANGE}). */
    Run next(long position, long upTo) {
        List<Item> run = new ArrayList<>();
        long reached = position;
        for (Item item : store.range(position, upTo)) {
            long number = ItemId.sequenceOf(item.id());
            if (number <= reached) {
                continue;   // not asked for; harmless
            }
            if (number != reached + 1) {
                break;      // reached + 1 is not readable yet
            }
            reached = number;
            run.add(item);
        }
        if (reached > position) {
            missingSinceNanos = 0;
            return new Run(List.copyOf(run), reached, false);
        }
        return giveUpOn(position + 1) ? new Run(List.of(), position + 1, false) : new Run(List.of(), position, true);
    }

    /** True (and the number passed over) when it has been missing for the give-up time. */
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
        missingSinceNanos = 0;
        return true;
    }
}
