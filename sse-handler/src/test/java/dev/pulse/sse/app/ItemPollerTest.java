package dev.pulse.sse.app;

import dev.pulse.core.Item;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller's position rules, one round at a time (no thread) unless the queue's bound is the point. */
class ItemPollerTest {

    final InMemoryStore store = new InMemoryStore();
    final LinkedBlockingQueue<ItemPoller.Update> updates = new LinkedBlockingQueue<>();

    /** A fresh stream's poller: the client has the snapshot and everything it counts. */
    ItemPoller fresh(Set<String> tags) {
        Metrics snapshot = store.metrics();
        return new ItemPoller(store, tags, snapshot.total(), snapshot, null, Duration.ofMillis(100), updates);
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
    void aNumberTakenButNotYetReadableIsWaitedFor_thenEverythingArrivesInOrder() throws Exception {
        ItemPoller poller = fresh(Set.of());
        Item a = store.put("AAPL", "a");
        Item b = store.putHeldBack("AAPL", "b: its commit is still being applied");
        Item c = store.put("AAPL", "c");
        assertEquals(ItemPoller.Round.MISSING, poller.pollOnce());
        assertEquals(List.of(a.id()), sentIds(), "nothing past the missing number");

        assertEquals(ItemPoller.Round.MISSING, poller.pollOnce());
        assertEquals(List.of(), sentIds());

        store.release(b);
        assertEquals(ItemPoller.Round.IDLE, poller.pollOnce());
        assertEquals(List.of(b.id(), c.id()), sentIds());
        assertEquals(ItemPoller.Round.IDLE, poller.pollOnce());
        assertEquals(List.of(), sentIds(), "nothing twice");
    }

    @Test
    void itemsUpToTheStartAreNeverSent() throws Exception {
        store.put("AAPL", "old");
        ItemPoller poller = fresh(Set.of());
        Item next = store.put("AAPL", "new");
        poller.pollOnce();
        assertEquals(List.of(next.id()), sentIds());
    }

    @Test
    void aTagFilterSkipsOtherTagsButItsMetricsStillMoveOn() throws Exception {
        ItemPoller poller = fresh(Set.of("MSFT"));
        store.put("AAPL", "other");
        Item mine = store.put("MSFT", "mine");
        store.put("AAPL", "other again");
        poller.pollOnce();
        ItemPoller.Update first = updates.poll();
        assertEquals(List.of(mine), ((ItemPoller.NewItems) first).items());
        ItemPoller.MetricsChanged metrics = assertInstanceOf(ItemPoller.MetricsChanged.class, updates.poll());
        assertEquals(3, metrics.metrics().total(), "the position moved past the other tags' items");
        assertEquals(3, poller.position());
    }

    @Test
    void aResumeReplaysFirstAndSendsTheMetricsAfterTheItemsTheyCount() throws Exception {
        Item seen = store.put("AAPL", "the client has this one");
        Item missed1 = store.put("AAPL", "missed 1");
        Item missed2 = store.put("MSFT", "missed 2");
        ItemPoller poller = new ItemPoller(store, Set.of(), 1, null, store.metrics(), Duration.ofMillis(100), updates);
        poller.pollOnce();
        assertEquals(List.of(missed1, missed2), ((ItemPoller.NewItems) updates.poll()).items());
        ItemPoller.MetricsChanged metrics = assertInstanceOf(ItemPoller.MetricsChanged.class, updates.poll());
        assertEquals(missed2.id(), metrics.metrics().lastId());
        assertTrue(updates.isEmpty());
        assertTrue(seen.id().compareTo(missed1.id()) < 0);
    }

    @Test
    void aResumeWithNothingMissedStillSendsTheMetrics() throws Exception {
        store.put("AAPL", "the client has this one");
        ItemPoller poller = new ItemPoller(store, Set.of(), 1, null, store.metrics(), Duration.ofMillis(100), updates);
        poller.pollOnce();
        assertEquals(1, assertInstanceOf(ItemPoller.MetricsChanged.class, updates.poll()).metrics().total());
    }

    @Test
    void anIdleRoundIsOneSmallRead() throws Exception {
        store.put("AAPL", "x");
        ItemPoller poller = fresh(Set.of());
        int before = store.pollReads.get();
        assertEquals(ItemPoller.Round.IDLE, poller.pollOnce());
        assertEquals(before + 1, store.pollReads.get(), "only lastSequence: no range, no metrics");
        assertTrue(updates.isEmpty());
    }

    @Test
    void aFarBehindResumeIsPagedThroughTheBoundedQueue_andThePollerWaitsWhileItIsFull() throws Exception {
        int total = ItemStore.MAX_RANGE * 20 + 7;
        List<String> written = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            written.add(store.put(i % 2 == 0 ? "EVEN" : "ODD", "n" + i).id());
        }
        BlockingQueue<ItemPoller.Update> bounded = new ArrayBlockingQueue<>(ItemPoller.QUEUE_CAPACITY);
        ItemPoller poller = new ItemPoller(store, Set.of(), 0, null, store.metrics(), Duration.ofMillis(50), bounded);
        poller.start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (bounded.remainingCapacity() > 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            assertEquals(ItemPoller.QUEUE_CAPACITY, bounded.size(), "the queue filled up");
            assertTrue(poller.position() <= (long) (ItemPoller.QUEUE_CAPACITY + 1) * ItemStore.MAX_RANGE,
                    "the poller waits instead of reading ahead: at " + poller.position());
            List<String> received = new ArrayList<>();
            while (received.size() < total) {
                ItemPoller.Update update = bounded.poll(5, TimeUnit.SECONDS);
                assertNotNull(update, "the poller went on once there was room");
                if (update instanceof ItemPoller.NewItems(var items)) {
                    assertTrue(items.size() <= ItemStore.MAX_RANGE);
                    items.forEach(item -> received.add(item.id()));
                }
            }
            assertEquals(written, received);
            assertInstanceOf(ItemPoller.MetricsChanged.class, bounded.poll(5, TimeUnit.SECONDS));
        } finally {
            poller.stop();
        }
    }

    @Test
    void aNumberThatNeverBecomesReadableIsSkippedAfterTheGiveUpTime() throws Exception {
        ItemPoller poller = fresh(Set.of());
        poller.giveUpOnMissing = Duration.ofMillis(200);
        store.putHeldBack("AAPL", "deleted by hand, say");
        Item after = store.put("AAPL", "after");
        assertEquals(ItemPoller.Round.MISSING, poller.pollOnce());
        Thread.sleep(250);
        assertEquals(ItemPoller.Round.IDLE, poller.pollOnce());
        assertEquals(List.of(after.id()), sentIds());
    }

    @Test
    void anErrorInARoundIsReportedSoTheStreamEnds() throws Exception {
        store.pollReadFailure = call -> new StackOverflowError("deep trouble");
        ItemPoller poller = fresh(Set.of());
        poller.start();
        ItemPoller.Update update = updates.poll(5, TimeUnit.SECONDS);
        ItemPoller.Failed failed = assertInstanceOf(ItemPoller.Failed.class, update);
        assertInstanceOf(StackOverflowError.class, failed.error());
        Thread.sleep(100);
        assertTrue(!poller.running(), "the poller ended");
    }

    @Test
    void backoffDoublesUpToTheCap() {
        ItemPoller poller = fresh(Set.of());
        assertEquals(100, poller.backoffMillis(1));
        assertEquals(200, poller.backoffMillis(2));
        assertEquals(400, poller.backoffMillis(3));
        assertEquals(ItemPoller.MAX_BACKOFF_MS, poller.backoffMillis(40));
    }
}
