package dev.pulse.core;

import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ItemStore#putAll} against the real DynamoDB API (the emulator): numbering, counters, the limit, idempotency. */
class BatchWriteTest {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static DynamoDbClient dynamo;
    private DynamoItemStore store;

    @BeforeAll
    static void client() {
        dynamo = TestDynamo.client(DynamoDbEmulator.shared());
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @BeforeEach
    void freshTable() {
        String table = "batch-test-" + TABLES.incrementAndGet();
        PulseTable.create(dynamo, table);
        store = new DynamoItemStore(dynamo, table);
    }

    private static Deadline soon() {
        return Deadline.in(Duration.ofSeconds(10));
    }

    private static List<NewItem> batch(int size, String prefix) {
        return IntStream.range(0, size)
                .mapToObj(i -> new NewItem(i % 2 == 0 ? "AAPL" : "MSFT", Labels.ALL.get(i % 3), 0.5, prefix + " " + i, null))
                .toList();
    }

    @Test
    void aBatchTakesContiguousNumbersInItsOrderAndIsCounted() {
        Item before = store.put(new NewItem("BTC", "positive", 0.9, "a single write first", "wire"));
        List<NewItem> input = batch(5, "batch");
        BatchIngest stored = store.putAll(input, null, soon());

        assertFalse(stored.replayed());
        assertEquals(List.of(ItemId.of(2), ItemId.of(3), ItemId.of(4), ItemId.of(5), ItemId.of(6)),
                stored.items().stream().map(Item::id).toList());
        for (int i = 0; i < input.size(); i++) {
            Item item = stored.items().get(i);
            assertEquals(input.get(i).text(), item.text(), "array order is id order");
            assertEquals(item, store.get(item.id()).orElseThrow(), "what the answer says is what is stored");
        }
        assertEquals(1, stored.items().stream().map(Item::ts).distinct().count(), "one ingest, one ts");
        assertEquals(stored.items(), store.range(1, 6));
        assertEquals(6, store.lastSequence());

        Metrics metrics = store.metrics();
        assertEquals(6, metrics.total());
        assertEquals(1 + 2, metrics.positive(), "the single one and items 0 and 3");
        assertEquals(2, metrics.neutral());
        assertEquals(1, metrics.negative());
        assertEquals(Map.of("BTC", 1L, "AAPL", 3L, "MSFT", 2L), metrics.byTag());
        assertEquals(new LabelCounts(1, 1, 1), metrics.byTagLabels().get("AAPL"), "items 0, 2 and 4");
        assertEquals(new LabelCounts(1, 1, 0), metrics.byTagLabels().get("MSFT"), "items 1 and 3");
        assertEquals(stored.items().getFirst().ts(), metrics.updatedAt());
        assertEquals(before, store.newest(10, null, null).items().getLast());
    }

    /** The largest batch is the worst case for DynamoDB's 100 actions: a tag per item and a key. */
    @Test
    void theLargestBatchWithATagPerItemAndAKeyFitsOneTransaction_oneMoreIsRefused() {
        List<NewItem> largest = IntStream.range(0, ItemStore.MAX_BATCH)
                .mapToObj(i -> new NewItem("T" + i, "neutral", 0.5, "item " + i, "s")).toList();
        BatchIngest stored = store.putAll(largest, new IdempotencyKey("largest"), soon());
        assertEquals(ItemStore.MAX_BATCH, stored.items().size());
        assertEquals(ItemStore.MAX_BATCH, store.metrics().byTag().size());

        List<NewItem> tooMany = new ArrayList<>(largest);
        tooMany.add(new NewItem("T50", "neutral", 0.5, "one more", null));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> store.putAll(tooMany, null, soon()));
        assertTrue(refused.getMessage().contains(Integer.toString(ItemStore.MAX_BATCH)), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.putAll(List.of(), null, soon()));
        assertEquals(ItemStore.MAX_BATCH, store.lastSequence(), "nothing more stored");
    }

    @Test
    void oneKeyCoversTheBatch() {
        IdempotencyKey key = new IdempotencyKey("batch-17");
        List<NewItem> input = batch(4, "keyed");
        BatchIngest first = store.putAll(input, key, soon());
        BatchIngest again = store.putAll(input, key, soon());
        assertTrue(again.replayed());
        assertEquals(first.items(), again.items(), "the original items, ids and ts included");

        List<NewItem> reordered = List.of(input.get(1), input.get(0), input.get(2), input.get(3));
        IdempotencyKeyReusedException reused = assertThrows(IdempotencyKeyReusedException.class,
                () -> store.putAll(reordered, key, soon()));
        assertTrue(reused.getMessage().contains(first.items().getFirst().id()), reused.getMessage());
        assertThrows(IdempotencyKeyReusedException.class, () -> store.putAll(input.subList(0, 3), key, soon()));
        assertThrows(IdempotencyKeyReusedException.class, () -> store.put(input.getFirst(), key, soon()),
                "a single item is not the batch");
        assertEquals(4, store.metrics().total(), "stored once");
    }

    @Test
    void aBatchOfOneIsNotTheSingleItem() {
        IdempotencyKey key = new IdempotencyKey("one");
        NewItem item = batch(1, "one").getFirst();
        store.put(item, key, soon());
        assertThrows(IdempotencyKeyReusedException.class, () -> store.putAll(List.of(item), key, soon()));
        assertEquals(1, store.metrics().total());
    }
}
