package dev.pulse.sse.app;

import dev.pulse.core.Deadline;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.Metrics;
import dev.pulse.core.NewItem;
import dev.pulse.core.PulseTable;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.FaultyDynamoProxy.Fault;
import dev.pulse.testing.FaultyDynamoProxy;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery guarantee at the feed: 8 writers at once (each its own client, as each Lambda execution environment
 * is), writes held before and after they commit and answers lost after a commit, and 8 readers in two execution
 * environments (one {@link ItemFeed} each, as Managed Instances run many streams in one), some tag-filtered, each cut
 * at random and resumed from the last id it received, as EventSource does, some of them reading slowly enough to fall
 * behind the feed. Every reader must get every item of its filter exactly once, in id order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConcurrentDeliveryTest {

    private static final int WRITERS = 8;
    private static final int PER_WRITER = 25;
    private static final List<String> TAGS = List.of("A", "B", "C");
    private static final Duration POLL = Duration.ofMillis(50);
    private static final DynamoDbEmulator emulator = DynamoDbEmulator.shared();

    @Test
    void everyReaderGetsEveryItemOfItsFilterOnceInOrder_acrossCutsAndFaults() throws Exception {
        String table = "delivery";
        try (DynamoDbClient direct = TestDynamo.client(emulator)) {
            PulseTable.create(direct, table);
        }
        try (FaultyDynamoProxy proxy = FaultyDynamoProxy.in(emulator.endpoint())
                .add(new Fault("TransactWriteItems", "slow-before", Fault.Kind.HOLD_BEFORE, Duration.ofSeconds(3), 1))
                .add(new Fault("TransactWriteItems", "slow-after", Fault.Kind.HOLD_AFTER, Duration.ofSeconds(3), 1))
                .add(new Fault("TransactWriteItems", "lost-answer", Fault.Kind.DROP_ANSWER, Duration.ZERO, 2))) {
            ExecutorService pool = Executors.newCachedThreadPool();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Set<String>> filters = List.of(Set.of(), Set.of(), Set.of("A"), Set.of("B", "C"),
                    Set.of(), Set.of("C"), Set.of(), Set.of("A", "B"));
            List<Future<Reader>> readers = new ArrayList<>();
            try (DynamoDbClient one = TestDynamo.client(proxy.endpoint()); DynamoDbClient two = TestDynamo.client(proxy.endpoint())) {
                List<DynamoItemStore> environments = List.of(new DynamoItemStore(one, table), new DynamoItemStore(two, table));
                List<ItemFeed> feeds = environments.stream()
                        .map(store -> new ItemFeed(store, POLL, ItemSequence.GIVE_UP_ON_MISSING, warning -> { }))
                        .toList();
                for (int r = 0; r < filters.size(); r++) {
                    readers.add(pool.submit(reader(environments.get(r % 2), feeds.get(r % 2), filters.get(r), writing,
                            r >= 6, new Random(r))));
                }
                writeThenCheck(table, proxy, pool, writing, readers, filters);
            }
            pool.shutdown();
        }
    }

    /** 8 writers at once, with faults; then every reader must have every item of its filter once, in order. */
    private static void writeThenCheck(String table, FaultyDynamoProxy proxy, ExecutorService pool, AtomicBoolean writing,
                                   List<Future<Reader>> readers, List<Set<String>> filters) throws Exception {
        ConcurrentLinkedQueue<Item> written = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                try (DynamoDbClient client = TestDynamo.client(proxy.endpoint())) {
                    DynamoItemStore store = new DynamoItemStore(client, table);
                    start.await();
                    for (int i = 0; i < PER_WRITER; i++) {
                        String fault = writer == 0 && i == 4 ? " slow-before" : writer == 1 && i == 6 ? " slow-after"
                                : writer == 2 && i % 10 == 3 ? " lost-answer" : "";
                        written.add(store.put(new NewItem(TAGS.get((writer + i) % 3), "neutral", 0.5,
                                "w" + writer + " #" + i + fault, null), null, Deadline.in(Duration.ofSeconds(60))).item());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get();
        }
        writing.set(false);
        assertEquals(4, proxy.injected(), "every fault was injected");

        List<Item> all = written.stream().sorted(Comparator.comparing(Item::id)).toList();
        assertEquals(WRITERS * PER_WRITER, all.size());
        for (int r = 0; r < readers.size(); r++) {
            Reader reader = readers.get(r).get();
            Set<String> filter = filters.get(r);
            List<String> expected = all.stream()
                    .filter(item -> filter.isEmpty() || filter.contains(item.tag())).map(Item::id).toList();
            assertEquals(expected, reader.received(), "reader " + r + " " + filter + " over "
                    + reader.connections() + " connections: each item once, in order");
            assertTrue(reader.connections() >= 3, "reader " + r + " was cut: " + reader.connections());
        }
    }

    record Reader(List<String> received, int connections) {
    }

    /**
     * A client of the stream in one environment: a subscription to that environment's feed per connection, started
     * where the last connection's last event left off (a resume: from the window when it is recent, else a catch-up
     * from the table, then the counters), cut after a random 0.3-1.5 s with whatever it had not taken yet lost, as a
     * dropped connection loses it. A slow reader pauses after each update, so the feed hands it back to its own
     * catch-up now and then.
     */
    private static Callable<Reader> reader(DynamoItemStore store, ItemFeed feed, Set<String> tags, AtomicBoolean writing,
                                           boolean slow, Random random) {
        return () -> {
            List<String> received = new ArrayList<>();
            int connections = 0;
            String lastEventId = ItemId.ZERO;
            while (true) {
                boolean lastRound = !writing.get();
                connections++;
                Metrics snapshot = store.metrics();
                FeedSubscription subscription = feed.subscribe(
                        StreamSession.Start.resume(ItemId.sequenceOf(lastEventId), snapshot), tags, new StreamStats(),
                        warning -> { });
                long cutAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1200));
                try {
                    while (System.nanoTime() < cutAt || lastRound) {
                        Update update = subscription.poll(TimeUnit.MILLISECONDS.toNanos(50));
                        if (update instanceof Update.NewItems(var items)) {
                            for (Item item : items) {
                                assertTrue(item.id().compareTo(lastEventId) > 0, "ids go forward");
                                received.add(item.id());
                                lastEventId = item.id();
                            }
                        } else if (update instanceof Update.MetricsChanged(var metrics)) {
                            assertTrue(metrics.lastId().compareTo(lastEventId) >= 0, "ids never go back");
                            lastEventId = metrics.lastId();
                            if (lastRound && metrics.total() == WRITERS * PER_WRITER) {
                                return new Reader(received, connections);
                            }
                        } else if (update instanceof Update.Failed(var error)) {
                            throw new AssertionError("the feed failed", error);
                        }
                        if (slow && update != null) {
                            Thread.sleep(30);
                        }
                    }
                } finally {
                    subscription.close();
                }
            }
        };
    }
}
