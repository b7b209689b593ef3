package dev.pulse.core;

import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live store whose table changed under it: the head went backwards (a restore to an earlier point, a table
 * deleted and created again), or an item exists beyond the head (the head record deleted by hand). A write must
 * follow the head it finds, or fail at once with the reason; it must never retry one doomed transaction until
 * its deadline. Each write here has 3 s: far more than a write takes, far less than the test's limit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaleHeadTest {

    private static final Duration WRITE_TIME = Duration.ofSeconds(3);
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void client() {
        dynamo = TestDynamo.client(DynamoDbEmulator.shared());
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    private static String freshTable() {
        String table = "stale-head-" + TABLES.incrementAndGet();
        PulseTable.create(dynamo, table);
        return table;
    }

    private static NewItem item(String text) {
        return new NewItem("AAPL", "neutral", 0.5, text, null);
    }

    private static Ingest put(ItemStore store, String text) {
        return store.put(item(text), null, Deadline.in(WRITE_TIME));
    }

    @Test
    void aTableCreatedAgainUnderALiveStoreStartsAtOne() {
        String table = freshTable();
        DynamoItemStore store = new DynamoItemStore(dynamo, table);
        for (int i = 0; i < 5; i++) {
            put(store, "before " + i);
        }
        dynamo.deleteTable(b -> b.tableName(table));
        PulseTable.create(dynamo, table);

        long began = System.nanoTime();
        Ingest after = put(store, "after the table was created again");
        assertEquals(ItemId.of(1), after.item().id(), "numbers start again with the table");
        assertEquals(1, store.metrics().total());
        assertTrue(millisSince(began) < 1_500, "followed the head at once: " + millisSince(began) + " ms");
    }

    @Test
    void aHeadRestoredToAnEarlierPointIsFollowed() {
        String table = freshTable();
        DynamoItemStore store = new DynamoItemStore(dynamo, table);
        for (int i = 0; i < 5; i++) {
            put(store, "item " + (i + 1));
        }
        // The table as a restore to the moment after item 3 leaves it: items 4 and 5 gone, the head at 3.
        for (String gone : new String[]{ItemId.of(4), ItemId.of(5)}) {
            dynamo.deleteItem(b -> b.tableName(table).key(PulseTable.itemKey(gone)));
        }
        dynamo.updateItem(b -> b.tableName(table).key(PulseTable.headKey())
                .updateExpression("SET #seq = :three").expressionAttributeNames(Map.of("#seq", "seq"))
                .expressionAttributeValues(Map.of(":three", AttributeValue.fromN("3"))));

        long began = System.nanoTime();
        assertEquals(ItemId.of(4), put(store, "after the restore").item().id());
        assertEquals(ItemId.of(5), put(store, "and the next").item().id());
        assertTrue(millisSince(began) < 1_500, "followed the head at once: " + millisSince(began) + " ms");
    }

    @Test
    void anItemBeyondTheHeadFailsTheWriteAtOnceAndSaysWhy() {
        String table = freshTable();
        DynamoItemStore first = new DynamoItemStore(dynamo, table);
        for (int i = 0; i < 3; i++) {
            put(first, "item " + (i + 1));
        }
        // Someone reset the counters by deleting the head record: items 1-3 are still there.
        dynamo.deleteItem(b -> b.tableName(table).key(PulseTable.headKey()));

        DynamoItemStore fresh = new DynamoItemStore(dynamo, table);   // a new environment: it reads the head
        long began = System.nanoTime();
        StoreUnavailableException failure = assertThrows(StoreUnavailableException.class, () -> put(fresh, "lost?"));
        assertTrue(millisSince(began) < 1_500, "failed at once, not at the deadline: " + millisSince(began) + " ms");
        assertTrue(failure.getMessage().contains(ItemId.of(1)) && failure.getMessage().contains("head"),
                failure.getMessage());
        assertEquals("item 1", fresh.get(ItemId.of(1)).orElseThrow().text(), "the item there was not overwritten");
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
