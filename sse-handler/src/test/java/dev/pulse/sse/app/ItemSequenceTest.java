package dev.pulse.sse.app;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The numbering rule, one read at a time: never past a number that is taken but not readable yet. */
class ItemSequenceTest {

    final InMemoryStore store = new InMemoryStore();
    final List<String> warnings = new ArrayList<>();

    @Test
    void aNumberTakenButNotYetReadableIsWaitedFor_thenEverythingComesInOrder() {
        ItemSequence sequence = new ItemSequence(store, Duration.ofSeconds(30), warnings::add);
        Item a = store.put("AAPL", "a");
        Item b = store.putHeldBack("AAPL", "b: its commit is still being applied");
        Item c = store.put("AAPL", "c");
        ItemSequence.Run first = sequence.next(0, 3);
        assertEquals(List.of(a), first.items());
        assertEquals(1, first.position());
        assertFalse(first.stalled());

        ItemSequence.Run waiting = sequence.next(1, 3);
        assertTrue(waiting.stalled(), "nothing past the missing number");
        assertEquals(1, waiting.position());

        store.release(b);
        ItemSequence.Run rest = sequence.next(1, 3);
        assertEquals(List.of(b, c), rest.items());
        assertEquals(3, rest.position());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aNumberThatNeverBecomesReadableIsPassedOverAfterTheGiveUpTime_withAWarning() throws Exception {
        ItemSequence sequence = new ItemSequence(store, Duration.ofMillis(200), warnings::add);
        store.putHeldBack("AAPL", "deleted by hand, say");
        Item after = store.put("AAPL", "after");
        assertTrue(sequence.next(0, 2).stalled());
        Thread.sleep(250);
        ItemSequence.Run skip = sequence.next(0, 2);
        assertEquals(1, skip.position(), "number 1 is passed over");
        assertEquals(List.of(after), sequence.next(1, 2).items());
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().contains(ItemId.of(1)), warnings.toString());
    }

    @Test
    void oneReadTakesAtMostAPage() {
        for (int i = 0; i < ItemStore.MAX_RANGE + 5; i++) {
            store.put("AAPL", "n" + i);
        }
        ItemSequence sequence = new ItemSequence(store, Duration.ofSeconds(30), warnings::add);
        ItemSequence.Run page = sequence.next(0, ItemStore.MAX_RANGE + 5);
        assertEquals(ItemStore.MAX_RANGE, page.items().size());
        assertEquals(1, store.rangeReads.get());
    }
}
