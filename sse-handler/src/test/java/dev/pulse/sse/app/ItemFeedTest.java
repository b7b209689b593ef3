package dev.pulse.sse.app;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.Metrics;
import dev.pulse.core.StoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One feed, many streams: each item read once and given to every stream by its position and filter; joins from the
 * window, catch-ups from the table; a slow stream handed back to its own catch-up; reads per interval independent of
 * the number of streams.
 */
class ItemFeedTest {

    static final Duration POLL = Duration.ofMillis(50);
    static final long WAIT = TimeUnit.SECONDS.toNanos(10);

    final InMemoryStore store = new InMemoryStore();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final ItemFeed feed = new ItemFeed(store, POLL, Duration.ofSeconds(30), warnings::add);
    final List<FeedSubscription> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(FeedSubscription::close);
    }

    FeedSubscription fresh(Set<String> tags) {
        return subscribe(StreamSession.Start.fresh(store.metrics()), tags);
    }

    FeedSubscription resume(long after) {
        return subscribe(StreamSession.Start.resume(after, store.metrics()), Set.of());
    }

    FeedSubscription subscribe(StreamSession.Start start, Set<String> tags) {
        FeedSubscription subscription = feed.subscribe(start, tags, new StreamStats(), warnings::add);
        open.add(subscription);
        return subscription;
    }

    /** The ids of the next {@code items} items the stream is given (counters in between are passed over). */
    static List<String> take(FeedSubscription subscription, int items) throws InterruptedException {
        List<String> got = new ArrayList<>();
        int count = 0;
        long end = System.nanoTime() + WAIT;
        while (count < items) {
            Update update = subscription.poll(end - System.nanoTime());
            assertNotNull(update, "only " + got + " within 10 s");
            switch (update) {
                case Update.NewItems(var list) -> {
                    list.forEach(item -> got.add(item.id()));
                    count += list.size();
                }
                case Update.MetricsChanged(var metrics) -> {
                    // counters come after the items they count: the tests that care read them with nextMetrics
                }
                case Update.Failed(var error) -> throw new AssertionError("failed", error);
            }
        }
        return got;
    }

    static Metrics nextMetrics(FeedSubscription subscription) throws InterruptedException {
        Update update = subscription.poll(WAIT);
        return assertInstanceOf(Update.MetricsChanged.class, update).metrics();
    }

    static List<String> ids(List<Item> items) {
        return items.stream().map(Item::id).toList();
    }

    @Test
    void aFreshStreamGetsTheNewItemsThenTheCountersThatCountThem_andNothingUpToItsStart() throws Exception {
        store.put("AAPL", "before the stream");
        FeedSubscription stream = fresh(Set.of());
        Item a = store.put("AAPL", "a");
        Item b = store.put("MSFT", "b");
        assertEquals(List.of(a.id(), b.id()), take(stream, 2));
        assertEquals(3, nextMetrics(stream).total());
    }

    @Test
    void aTagFilterSkipsOtherTags_butItsPositionAndCountersMoveOn() throws Exception {
        FeedSubscription stream = fresh(Set.of("MSFT"));
        store.put("AAPL", "other");
        Item mine = store.put("MSFT", "mine");
        store.put("AAPL", "other again");
        assertEquals(List.of(mine.id()), take(stream, 1));
        assertEquals(3, nextMetrics(stream).total(), "past the other tags' items");
    }

    @Test
    void aNumberNotReadableYetHoldsBackEveryStream_thenAllComeInOrder() throws Exception {
        FeedSubscription one = fresh(Set.of());
        FeedSubscription two = fresh(Set.of());
        Item a = store.put("AAPL", "a");
        Item b = store.putHeldBack("AAPL", "b, being committed");
        Item c = store.put("AAPL", "c");
        assertEquals(List.of(a.id()), take(one, 1));
        assertNull(one.poll(TimeUnit.MILLISECONDS.toNanos(300)), "nothing past the missing number");
        store.release(b);
        assertEquals(List.of(b.id(), c.id()), take(one, 2));
        assertEquals(3, nextMetrics(one).total());
        assertEquals(List.of(a.id(), b.id(), c.id()), take(two, 3));
    }

    @Test
    void aResumeReadsWhatItMissedWithItsOwnRangeReads_thenTheCounters_thenJoinsTheFeed() throws Exception {
        FeedSubscription first = fresh(Set.of());
        Item seen = store.put("AAPL", "the client has this one");
        Item missed1 = store.put("AAPL", "missed 1");
        Item missed2 = store.put("MSFT", "missed 2");
        assertEquals(3, take(first, 3).size());
        assertEquals(3, nextMetrics(first).total());
        int ranges = store.rangeReads.get();
        FeedSubscription resumed = resume(ItemId.sequenceOf(seen.id()));
        assertEquals(List.of(missed1.id(), missed2.id()), take(resumed, 2));
        assertEquals(missed2.id(), nextMetrics(resumed).lastId());
        assertEquals(ranges + 1, store.rangeReads.get(), "a resume reads the table, wherever it lands");
        Item live = store.put("AAPL", "live");
        assertEquals(List.of(live.id()), take(resumed, 1), "then the feed gives it the live items");
        assertEquals(List.of(live.id()), take(first, 1));
    }

    @Test
    void aResumeWithNothingMissedReadsNoItems_andStillGetsTheCounters() throws Exception {
        FeedSubscription first = fresh(Set.of());
        Item seen = store.put("AAPL", "the client has this one");
        take(first, 1);
        int ranges = store.rangeReads.get();
        FeedSubscription resumed = resume(ItemId.sequenceOf(seen.id()));
        assertEquals(1, nextMetrics(resumed).total());
        assertEquals(ranges, store.rangeReads.get(), "a resume that missed nothing costs no range read");
    }

    @Test
    void aResumeOlderThanTheWindowCatchesUpFromTheTable_thenJoins_noGapNoRepeat() throws Exception {
        FeedSubscription live = fresh(Set.of());
        List<String> written = new ArrayList<>();
        int total = ItemFeed.WINDOW + 150;
        for (int i = 0; i < total; i++) {
            written.add(store.put(i % 2 == 0 ? "EVEN" : "ODD", "n" + i).id());
        }
        take(live, total);
        FeedSubscription behind = resume(40);
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            later.add(store.put("AAPL", "later " + i).id());
        }
        List<String> got = take(behind, total - 40 + later.size());
        List<String> expected = new ArrayList<>(written.subList(40, total));
        expected.addAll(later);
        assertEquals(expected, got);
    }

    @Test
    void aFarBehindCatchUpIsPagedThroughTheBoundedQueue_andWaitsWhileItIsFull() throws Exception {
        int total = 2007;
        List<String> written = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            written.add(store.put("AAPL", "n" + i).id());
        }
        FeedSubscription behind = resume(0);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (behind.queued() < UpdateQueue.REPLAY_CAPACITY && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertEquals(UpdateQueue.REPLAY_CAPACITY, behind.queued(), "the queue filled up to its bound");
        assertTrue(store.rangeReads.get() <= UpdateQueue.REPLAY_CAPACITY + 1,
                "the catch-up waits instead of reading ahead: " + store.rangeReads.get() + " reads");
        assertEquals(written, take(behind, total));
        assertEquals(total, nextMetrics(behind).total());
    }

    @Test
    void aSlowStreamNeverHoldsUpTheOthers_andGetsEverythingOnceWhenItReadsAgain() throws Exception {
        FeedSubscription fast = fresh(Set.of());
        FeedSubscription slow = fresh(Set.of());
        List<String> written = new ArrayList<>();
        List<String> fastGot = new ArrayList<>();
        int rounds = UpdateQueue.LIVE_CAPACITY + 20;
        for (int i = 0; i < rounds; i++) {
            written.add(store.put("AAPL", "n" + i).id());
            fastGot.addAll(take(fast, 1));
            assertTrue(slow.queued() <= UpdateQueue.LIVE_CAPACITY, "a slow stream's queue is bounded: " + slow.queued());
        }
        assertEquals(written, fastGot, "the fast stream got every item while the slow one read nothing");
        List<String> slowGot = take(slow, rounds);
        assertEquals(written, slowGot, "the slow stream caught up from the table: each item once, in order");
        Item after = store.put("AAPL", "after");
        assertTrue(take(slow, 1).contains(after.id()), "and joined the feed again");
    }

    @Test
    void anIdleEnvironmentReadsTheHeadOncePerInterval_whateverTheNumberOfStreams() throws Exception {
        store.put("AAPL", "x");
        for (int i = 0; i < 200; i++) {
            fresh(Set.of());
        }
        int heads = store.headReads.get();
        int metrics = store.metricsReads.get();
        Thread.sleep(POLL.toMillis() * 10);
        int rounds = store.headReads.get() - heads;
        assertTrue(rounds >= 5 && rounds <= 12, "one head read per interval for 200 streams: " + rounds + " in 10 intervals");
        assertEquals(metrics, store.metricsReads.get(), "no counters read while the head stays");
        assertEquals(0, store.rangeReads.get());
    }

    @Test
    void newItemsAreReadOnceForEveryStream() throws Exception {
        List<FeedSubscription> streams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            streams.add(fresh(i % 2 == 0 ? Set.of() : Set.of("AAPL")));
        }
        int metricsBefore = store.metricsReads.get();
        Item a = store.put("AAPL", "a");
        Item b = store.put("MSFT", "b");
        for (int i = 0; i < streams.size(); i++) {
            List<String> expected = i % 2 == 0 ? List.of(a.id(), b.id()) : List.of(a.id());
            assertEquals(expected, take(streams.get(i), expected.size()));
        }
        assertTrue(store.rangeReads.get() <= 2, "items read once, not per stream: " + store.rangeReads.get());
        assertTrue(store.metricsReads.get() - metricsBefore <= 2, "counters read once, not per stream");
    }

    @Test
    void storeTroubleIsRetriedWithBackoff_theStreamsStayAndCountIt() throws Exception {
        FeedSubscription stream = subscribe(StreamSession.Start.fresh(store.metrics()), Set.of());
        store.pollReadFailure = call -> call <= 3 ? new StoreUnavailableException("throttled", null) : null;
        Item a = store.put("AAPL", "a");
        assertEquals(List.of(a.id()), take(stream, 1));
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("poll failed (")), warnings.toString());
    }

    @Test
    void anErrorInARoundEndsTheJoinedStreams_andTheNextStreamStartsTheFeedAgain() throws Exception {
        FeedSubscription stream = fresh(Set.of());
        store.pollReadFailure = call -> new StackOverflowError("deep trouble");
        Update.Failed failed = assertInstanceOf(Update.Failed.class, stream.poll(WAIT));
        assertInstanceOf(StackOverflowError.class, failed.error());
        long until = System.nanoTime() + WAIT;
        while (feed.running() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertFalse(feed.running(), "the feed stopped");
        store.pollReadFailure = call -> null;
        FeedSubscription next = fresh(Set.of());
        Item a = store.put("AAPL", "a");
        assertEquals(List.of(a.id()), take(next, 1));
    }

    @Test
    void whenTheLastStreamLeavesTheFeedStopsReading() throws Exception {
        FeedSubscription stream = fresh(Set.of());
        Thread.sleep(POLL.toMillis() * 3);
        stream.close();
        Thread.sleep(POLL.toMillis() * 3);
        int heads = store.headReads.get();
        Thread.sleep(POLL.toMillis() * 5);
        assertEquals(heads, store.headReads.get(), "no reads without streams");
        assertFalse(feed.running());
        assertNull(feed.latest(), "and it forgot where it was");
    }

    @Test
    void aRecentRoundsCountersServeANewStream_staleOnesDoNot() throws Exception {
        assertNull(feed.recentSnapshot(), "no feed yet");
        fresh(Set.of());
        store.put("AAPL", "a");
        long until = System.nanoTime() + WAIT;
        while ((feed.recentSnapshot() == null || feed.recentSnapshot().total() < 1) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(1, feed.recentSnapshot().total());

        store.pollReadFailure = call -> new StoreUnavailableException("throttled", null);   // no round succeeds now
        until = System.nanoTime() + WAIT;
        while (feed.recentSnapshot() != null && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertNull(feed.recentSnapshot(), "counters no round has confirmed for a poll interval are stale");
    }

    @Test
    void streamsStartingTogetherShareOneCountersRead() throws Exception {
        store.put("AAPL", "a");
        int before = store.metricsReads.get();
        List<Thread> starters = new ArrayList<>();
        List<Metrics> got = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            starters.add(Thread.ofVirtual().start(() -> got.add(feed.snapshotForStart())));
        }
        for (Thread starter : starters) {
            starter.join();
        }
        assertEquals(100, got.size());
        assertTrue(got.stream().allMatch(m -> m.total() == 1));
        assertTrue(store.metricsReads.get() - before <= 3, "one read shared, not one each: " + (store.metricsReads.get() - before));
    }

    @Test
    void afterARestore_countersReadBeforeTheSnapshotAreReadAgain() {
        ItemFeed slow = new ItemFeed(store, Duration.ofMinutes(1), Duration.ofSeconds(30), warnings::add);
        store.put("AAPL", "a");
        slow.snapshotForStart();
        int reads = store.metricsReads.get();
        slow.snapshotForStart();
        assertEquals(reads, store.metricsReads.get(), "within the poll interval the last start's read serves");
        slow.forgetStartCounters();
        store.put("AAPL", "b");
        assertEquals(2, slow.snapshotForStart().total(), "the counters as of now, not as of the snapshot");
        assertEquals(reads + 1, store.metricsReads.get());
    }

    @Test
    void backoffDoublesUpToTheCap() {
        assertEquals(50, feed.backoffMillis(1));
        assertEquals(100, feed.backoffMillis(2));
        assertEquals(200, feed.backoffMillis(3));
        assertEquals(ItemFeed.MAX_BACKOFF_MS, feed.backoffMillis(40));
    }
}
