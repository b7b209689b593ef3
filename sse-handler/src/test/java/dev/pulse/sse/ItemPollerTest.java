package dev.pulse.sse;

import dev.pulse.core.Item;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller's cursor rules, one round at a time (no thread): look-back, floor, paging, backoff. */
class ItemPollerTest {

    final InMemoryStore store = new InMemoryStore();
    final LinkedBlockingQueue<ItemPoller.Update> updates = new LinkedBlockingQueue<>();

    ItemPoller poller(String floor) {
        return new ItemPoller(store, Set.of(), floor, store.metrics(), Duration.ofMillis(100), updates);
    }

    List<String> sentIds() {
        List<String> ids = new ArrayList<>();
        for (ItemPoller.Update u : updates) {
            if (u instanceof ItemPoller.NewItems(var items)) {
                items.forEach(i -> ids.add(i.id()));
            }
        }
        updates.clear();
        return ids;
    }

    @Test
    void aLateCommitWithinTheLookBackIsSentOnce_andNothingIsRepeated() {
        long now = System.currentTimeMillis();
        String floor = String.format("%013d-000000", now - 10_000);
        ItemPoller poller = poller(floor);
        store.putWithId(String.format("%013d-000002", now), "AAPL");
        poller.pollOnce();
        assertEquals(List.of(String.format("%013d-000002", now)), sentIds());

        store.putWithId(String.format("%013d-000001", now - 800), "AAPL");   // committed after a newer id was sent
        poller.pollOnce();
        assertEquals(List.of(String.format("%013d-000001", now - 800)), sentIds());

        poller.pollOnce();
        assertEquals(List.of(), sentIds(), "nothing twice");
    }

    @Test
    void itemsAtOrBelowTheFloorAreNeverSent() {
        Item old = store.put("AAPL", "old");
        ItemPoller poller = poller(old.id());
        Item fresh = store.put("AAPL", "new");
        poller.pollOnce();
        assertEquals(List.of(fresh.id()), sentIds());
    }

    @Test
    void theFloorItemIsNotSentEvenWhenTheStoreReturnsIt() {
        // The poller does not rely on the store's range being exclusive: the resume id was already delivered.
        store.afterIncludesCursor = true;
        Item resumedFrom = store.put("AAPL", "the client has this one");
        ItemPoller poller = poller(resumedFrom.id());
        Item fresh = store.put("AAPL", "new");
        poller.pollOnce();
        poller.pollOnce();
        assertEquals(List.of(fresh.id()), sentIds());
    }

    @Test
    void metricsFollowEveryBatch_andChangesAlone() {
        ItemPoller poller = poller(SseApp.ZERO_ID);
        poller.pollOnce();
        assertTrue(updates.isEmpty(), "no items, counters unchanged: nothing to send");
        store.put("AAPL", "one");
        poller.pollOnce();
        assertInstanceOf(ItemPoller.NewItems.class, updates.poll());
        ItemPoller.Update metrics = updates.poll();
        assertInstanceOf(ItemPoller.MetricsChanged.class, metrics);
        assertEquals(1, ((ItemPoller.MetricsChanged) metrics).metrics().total());
    }

    @Test
    void aLongCatchUpIsPagedInRoundsWithoutLoopingOnTheLookBack() {
        int total = ItemPoller.BATCH * ItemPoller.MAX_PAGES_PER_ROUND + 250;
        List<String> written = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            written.add(store.put("AAPL", "n" + i).id());
        }
        ItemPoller poller = poller(SseApp.ZERO_ID);
        assertTrue(poller.pollOnce(), "the first round stops at the page limit");
        List<String> sent = new ArrayList<>(sentIds());
        assertFalse(poller.pollOnce(), "the second round catches up");
        sent.addAll(sentIds());
        assertEquals(written, sent);
    }

    @Test
    void backoffDoublesUpToTheCap() {
        ItemPoller poller = poller(SseApp.ZERO_ID);
        assertEquals(100, poller.backoffMillis(1));
        assertEquals(200, poller.backoffMillis(2));
        assertEquals(400, poller.backoffMillis(3));
        assertEquals(ItemPoller.MAX_BACKOFF_MS, poller.backoffMillis(40));
    }
}
