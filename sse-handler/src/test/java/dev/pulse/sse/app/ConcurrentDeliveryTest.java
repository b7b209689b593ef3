package dev.pulse.sse.app;

import dev.pulse.core.Deadline;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.Metrics;
import dev.pulse.core.NewItem;
import dev.pulse.core.PulseTable;
import dev.pulse.testing.DynamoDbEmulator;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * The delivery guarantee at the poller: 8 writers at once (each its own client, as each Lambda execution
 * environment is), writes held before and after they commit and answers lost after a commit, and 4
 * readers, two of them tag-filtered, each cut at random and resumed from the last id it received, as
 * EventSource does. Every reader must get every item of its filter exactly once, in id order.
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
            ConcurrentLinkedQueue<Item> written = new ConcurrentLinkedQueue<>();
            List<Set<String>> filters = List.of(Set.of(), Set.of(), Set.of("A"), Set.of("B", "C"));
            List<Future<Reader>> readers = new ArrayList<>();
            for (int r = 0; r < filters.size(); r++) {
                readers.add(pool.submit(reader(table, proxy, filters.get(r), writing, new Random(r))));
            }
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
            pool.shutdown();
        }
    }

    record Reader(List<String> received, int connections) {
    }

    /**
     * A client of the stream: one poller per connection, started where the last connection's last event
     * left off (a resume: the poller reads the metrics, replays, then sends them), cut after a random
     * 0.3-1.5 s with whatever it had not taken yet lost, as a dropped connection loses it.
     */
    private static Callable<Reader> reader(String table, FaultyDynamoProxy proxy, Set<String> tags,
                                           AtomicBoolean writing, Random random) {
        return () -> {
            List<String> received = new ArrayList<>();
            int connections = 0;
            String lastEventId = ItemId.ZERO;
            try (DynamoDbClient client = TestDynamo.client(proxy.endpoint())) {
                DynamoItemStore store = new DynamoItemStore(client, table);
                while (true) {
                    boolean lastRound = !writing.get();
                    connections++;
                    Metrics snapshot = store.metrics();
                    BlockingQueue<ItemPoller.Update> updates = new ArrayBlockingQueue<>(ItemPoller.QUEUE_CAPACITY);
                    ItemPoller poller = new ItemPoller(store, tags, ItemId.sequenceOf(lastEventId), null, snapshot,
                            POLL, updates);
                    poller.start();
                    long cutAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1200));
                    try {
                        while (System.nanoTime() < cutAt || lastRound) {
                            ItemPoller.Update update = updates.poll(50, TimeUnit.MILLISECONDS);
                            if (update instanceof ItemPoller.NewItems(var items)) {
                                for (Item item : items) {
                                    assertTrue(item.id().compareTo(lastEventId) > 0, "ids go forward");
                                    received.add(item.id());
                                    lastEventId = item.id();
                                }
                            } else if (update instanceof ItemPoller.MetricsChanged(var metrics)) {
                                assertTrue(metrics.lastId().compareTo(lastEventId) >= 0, "ids never go back");
                                lastEventId = metrics.lastId();
                                if (lastRound && metrics.total() == WRITERS * PER_WRITER) {
                                    return new Reader(received, connections);
                                }
                            } else if (update instanceof ItemPoller.Failed(var error)) {
                                throw new AssertionError("the poller failed", error);
                            }
                        }
                    } finally {
                        poller.stop();
                    }
                }
            }
        };
    }
}
