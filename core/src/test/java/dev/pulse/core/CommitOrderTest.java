package dev.pulse.core;

import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.FaultyDynamoProxy.Fault;
import dev.pulse.testing.FaultyDynamoProxy;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise the stream is built on, under the conditions Lambda creates: many writers at once, each in
 * its own execution environment (here: its own store and client), writes held up before and after they
 * commit, answers lost after a commit (so the SDK sends the write again), and readers tailing the table
 * meanwhile. Faults come from a proxy in front of the real DynamoDB API (the emulator).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CommitOrderTest {

    private static final int WRITERS = 8;
    private static final int PER_WRITER = 30;
    private static final int READERS = 4;
    /** Far below the 3 s a slow write is held, far above a read's time on a busy 2-core machine. */
    private static final long MAX_MISSING_MS = 1_500;
    /** A long deadline per write: these tests are about order under contention, not about speed. */
    private static final Duration WRITE_TIME = Duration.ofSeconds(60);
    private static final DynamoDbEmulator emulator = DynamoDbEmulator.shared();

    /** One completed write of one or more items as its writer saw it: when the call began and returned, what it stored. */
    record Write(long startNanos, long endNanos, List<Item> items, List<String> texts) {
        long first() {
            return ItemId.sequenceOf(items.getFirst().id());
        }
    }

    /** What one writer does in its own execution environment (its own client and store): its writes, in order. */
    @FunctionalInterface
    interface Writer {
        List<Write> run(int writer, DynamoItemStore store) throws Exception;
    }

    /** What a run did: every write, and the numbers each tailing reader saw. */
    record Run(List<Write> writes, List<List<Long>> seen) {
    }

    @Test
    void idsAreDenseAndInCommitOrder_andTailingReadersSeeEachOnceInOrder() throws Exception {
        Run run = writeWhileTailing("commit-order", (writer, store) -> {
            List<Write> writes = new ArrayList<>();
            for (int i = 0; i < PER_WRITER; i++) {
                String text = "w" + writer + "-" + i + faultFor(writer, i);
                long began = System.nanoTime();
                Item item = store.put(new NewItem("T" + (i % 3), "neutral", 0.5, text, null), null,
                        Deadline.in(WRITE_TIME)).item();
                writes.add(new Write(began, System.nanoTime(), List.of(item), List.of(text)));
            }
            return writes;
        });
        assertEquals(WRITERS * PER_WRITER, run.writes().size());
        assertDenseInCommitOrderSeenOnceAndCounted("commit-order", run);
    }

    /**
     * The same conditions with batches and keys: each writer alternates single items and batches of 2-7, each write
     * with its own {@code Idempotency-Key}, and sends some of them again at once; faults hit batches (a lost answer
     * among them: a keyed write recognises its own commit). Each batch's numbers are contiguous, in its order; a write
     * sent again stores nothing and gets the original items; the numbers of all writes are dense and in commit order;
     * tailing readers see every item once, in order.
     */
    @Test
    void batchesMixedWithSingleWritesKeepNumbersDenseContiguousAndInCommitOrder() throws Exception {
        Run run = writeWhileTailing("commit-order-batches", (writer, store) -> {
            List<Write> writes = new ArrayList<>();
            for (int i = 0; i < PER_WRITER / 2; i++) {
                int size = i % 2 == 0 ? 1 : 2 + (writer + i) % 6;
                List<NewItem> batch = new ArrayList<>();
                for (int k = 0; k < size; k++) {
                    String text = "w" + writer + "-" + i + "-" + k + (k == size - 1 ? faultFor(writer, i) : "");
                    batch.add(new NewItem("T" + ((i + k) % 3), Labels.ALL.get(k % 3), 0.5, text, null));
                }
                IdempotencyKey key = new IdempotencyKey("w" + writer + "-" + i);
                long began = System.nanoTime();
                BatchIngest stored = write(store, batch, key);
                Write write = new Write(began, System.nanoTime(), stored.items(),
                        batch.stream().map(NewItem::text).toList());
                assertFalse(stored.replayed(), () -> "the first send stored it: " + write);
                writes.add(write);
                if (i % 4 == 3) {   // never one a fault names: a send again must not use up another writer's fault
                    BatchIngest again = write(store, batch, key);
                    assertTrue(again.replayed(), () -> "sent again: " + write);
                    assertEquals(stored.items(), again.items(), "sent again: the original items, ids and ts included");
                }
            }
            return writes;
        });
        assertDenseInCommitOrderSeenOnceAndCounted("commit-order-batches", run);
    }

    /** One item as {@link ItemStore#put}, more as {@link ItemStore#putAll}. */
    private static BatchIngest write(DynamoItemStore store, List<NewItem> batch, IdempotencyKey key) {
        if (batch.size() == 1) {
            Ingest one = store.put(batch.getFirst(), key, Deadline.in(WRITE_TIME));
            return new BatchIngest(List.of(one.item()), one.replayed());
        }
        return store.putAll(batch, key, Deadline.in(WRITE_TIME));
    }

    /**
     * Runs {@link #WRITERS} writers, each in its own execution environment, all started at once, beside
     * {@link #READERS} readers tailing the table, through a proxy that injects each fault of {@link #faultFor} twice.
     * Returns once every writer is done and every reader has caught up; every fault was injected.
     */
    private static Run writeWhileTailing(String table, Writer writer) throws Exception {
        try (DynamoDbClient direct = TestDynamo.client(emulator)) {
            PulseTable.create(direct, table);
        }
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        try (FaultyDynamoProxy proxy = FaultyDynamoProxy.in(emulator.endpoint())
                .add(new Fault("TransactWriteItems", "slow-before", Fault.Kind.HOLD_BEFORE, Duration.ofSeconds(3), 2))
                .add(new Fault("TransactWriteItems", "slow-after", Fault.Kind.HOLD_AFTER, Duration.ofSeconds(2), 2))
                .add(new Fault("TransactWriteItems", "lost-answer", Fault.Kind.DROP_ANSWER, Duration.ZERO, 2))) {
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(pool.submit(tail(table, proxy, writing)));
            }
            List<Future<List<Write>>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int n = w;
                writers.add(pool.submit(() -> {
                    try (DynamoDbClient client = TestDynamo.client(proxy.endpoint())) {
                        DynamoItemStore store = new DynamoItemStore(client, table);
                        start.await();
                        return writer.run(n, store);
                    }
                }));
            }
            start.countDown();
            List<Write> writes = new ArrayList<>();
            for (Future<List<Write>> one : writers) {
                writes.addAll(one.get());
            }
            writing.set(false);
            List<List<Long>> seen = new ArrayList<>();
            for (Future<List<Long>> reader : readers) {
                seen.add(reader.get());
            }
            assertEquals(6, proxy.injected(), "every fault was injected");
            return new Run(writes, seen);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Each write's items are what it sent, in order, under contiguous numbers; the numbers of all writes are dense
     * (no gap, none twice) and in commit order; every reader saw each number once, in order; the counters agree with
     * the items; every item reads back as its write was answered.
     */
    private static void assertDenseInCommitOrderSeenOnceAndCounted(String table, Run run) {
        List<Long> numbers = new ArrayList<>();
        for (Write write : run.writes()) {
            List<Item> items = write.items();
            assertEquals(write.texts(), items.stream().map(Item::text).toList(), "the answer is the batch, in order");
            for (int k = 0; k < items.size(); k++) {
                assertEquals(write.first() + k, ItemId.sequenceOf(items.get(k).id()), () -> "contiguous: " + write);
                numbers.add(write.first() + k);
            }
        }
        int total = numbers.size();
        List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
        assertEquals(expected, numbers.stream().sorted().toList(),
                "one number per item, no gaps, no duplicates (a lost answer was not stored twice)");
        assertCommitOrder(run.writes());
        for (List<Long> seen : run.seen()) {
            assertEquals(expected, seen, "a tailing reader saw every item once, in order");
        }
        try (DynamoDbClient direct = TestDynamo.client(emulator)) {
            DynamoItemStore store = new DynamoItemStore(direct, table);
            Metrics metrics = store.metrics();
            assertEquals(total, metrics.total());
            assertEquals(total, metrics.positive() + metrics.neutral() + metrics.negative());
            assertEquals(total, metrics.byTag().values().stream().mapToLong(Long::longValue).sum());
            for (Write write : run.writes()) {
                for (Item item : write.items()) {
                    assertEquals(item, store.get(item.id()).orElseThrow());
                }
            }
        }
    }

    private static String faultFor(int writer, int i) {
        if (i == 5 && writer < 2) {
            return " slow-before";
        }
        if (i == 9 && writer < 2) {
            return " slow-after";
        }
        if (i == 13 && writer < 2) {
            return " lost-answer";
        }
        return "";
    }

    /**
     * A write that returned before another began has the smaller numbers: numbers are taken at commit,
     * never before. (Writes that overlapped in time may commit in either order.)
     */
    private static void assertCommitOrder(List<Write> writes) {
        for (Write a : writes) {
            for (Write b : writes) {
                if (a.endNanos() < b.startNanos()) {
                    assertTrue(a.first() < b.first(), () -> a + " returned before " + b + " began");
                }
            }
        }
    }

    /**
     * A reader as the stream polls: the newest number, then the numbers after its position. A number it
     * cannot see yet is waited for, never skipped.
     */
    private static Callable<List<Long>> tail(String table, FaultyDynamoProxy proxy, AtomicBoolean writing) {
        return () -> {
            List<Long> seen = new ArrayList<>();
            try (DynamoDbClient client = TestDynamo.client(proxy.endpoint())) {
                DynamoItemStore store = new DynamoItemStore(client, table);
                long position = 0;
                long missingSince = 0;
                while (true) {
                    boolean done = !writing.get();
                    long newest = store.lastSequence();
                    for (Item item : store.range(position, newest)) {
                        long sequence = ItemId.sequenceOf(item.id());
                        if (sequence != position + 1) {
                            break;
                        }
                        seen.add(sequence);
                        position = sequence;
                    }
                    if (position < newest) {
                        // A number is taken in the transaction that stores its item, so it can be missing only
                        // while that commit is applied: never for as long as a write is held up (3 s here).
                        missingSince = missingSince == 0 ? System.nanoTime() : missingSince;
                        long missingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - missingSince);
                        assertTrue(missingMs < MAX_MISSING_MS, "number " + (position + 1) + " was missing for "
                                + missingMs + " ms while " + newest + " was committed: numbers are not in commit order");
                    } else {
                        missingSince = 0;
                        if (done) {
                            return seen;
                        }
                    }
                    Thread.sleep(20);
                }
            }
        };
    }

    @Test
    void concurrentRetriesWithOneKeyStoreOneItem() throws Exception {
        String table = "idempotent-retries";
        try (DynamoDbClient direct = TestDynamo.client(emulator)) {
            PulseTable.create(direct, table);
        }
        int retries = 8;
        NewItem item = new NewItem("AAPL", "positive", 0.9, "the same order, sent 8 times at once", null);
        IdempotencyKey key = new IdempotencyKey("retry-me");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(retries + 2);
        List<Future<Ingest>> attempts = new ArrayList<>();
        for (int i = 0; i < retries; i++) {
            attempts.add(pool.submit(() -> {
                try (DynamoDbClient client = TestDynamo.client(emulator)) {
                    start.await();
                    return new DynamoItemStore(client, table).put(item, key, Deadline.in(Duration.ofSeconds(20)));
                }
            }));
        }
        // Other writers at the same time, so the retries also race for the head.
        List<Future<?>> others = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            others.add(pool.submit(() -> {
                try (DynamoDbClient client = TestDynamo.client(emulator)) {
                    DynamoItemStore store = new DynamoItemStore(client, table);
                    start.await();
                    for (int n = 0; n < 10; n++) {
                        store.put(new NewItem("MSFT", "neutral", 0.5, "other " + n, null));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        Set<String> ids = new HashSet<>();
        int replays = 0;
        for (Future<Ingest> attempt : attempts) {
            Ingest ingest = attempt.get();
            ids.add(ingest.item().id());
            replays += ingest.replayed() ? 1 : 0;
        }
        for (Future<?> other : others) {
            other.get();
        }
        pool.shutdown();
        assertEquals(1, ids.size(), "every retry got the same item: " + ids);
        assertEquals(retries - 1, replays, "one stored it, the others were told it was a replay");
        try (DynamoDbClient direct = TestDynamo.client(emulator)) {
            Metrics metrics = new DynamoItemStore(direct, table).metrics();
            assertEquals(21, metrics.total(), "1 keyed item + 20 others");
            assertEquals(1L, metrics.byTag().get("AAPL"));
        }
    }
}
