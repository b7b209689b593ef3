package dev.pulse.core;

import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store against a real DynamoDB API (the emulator), not a map: layout, reads, metrics, idempotency. */
class DynamoItemStoreTest {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static DynamoDbClient dynamo;
    private DynamoItemStore store;
    private String table;

    @BeforeAll
    static void startEmulator() {
        dynamo = TestDynamo.client(DynamoDbEmulator.shared());
    }

    @AfterAll
    static void stopEmulator() {
        dynamo.close();
    }

    @BeforeEach
    void freshTable() {
        table = "store-test-" + TABLES.incrementAndGet();
        PulseTable.create(dynamo, table);
        store = new DynamoItemStore(dynamo, table);
    }

    static NewItem item(String tag, String label) {
        return new NewItem(tag, label, 0.5, "text for " + tag, null);
    }

    @Test
    void putNumbersItemsFromOneAndCountsThem() {
        Item first = store.put(new NewItem("AAPL", "positive", 0.75, "beats", "wire"));
        assertEquals("0000000000000001", first.id());
        Item second = store.put(item("MSFT", "negative"));
        assertEquals("0000000000000002", second.id());
        assertEquals(List.of(second, first), store.newest(10, null, null).items());
        assertEquals(2, store.lastSequence());

        Metrics metrics = store.metrics();
        assertEquals(new Metrics(2, 1, 0, 1, Map.of("AAPL", 1L, "MSFT", 1L),
                Map.of("AAPL", new LabelCounts(1, 0, 0), "MSFT", new LabelCounts(0, 0, 1)), false, second.ts()), metrics);
        assertEquals(0, Json.metrics(metrics).path("by_tag_labels").path("MSFT").path("positive").asInt());
        assertEquals(1, Json.metrics(metrics).path("by_tag_labels").path("MSFT").path("negative").asInt());
        assertEquals(second.id(), metrics.lastId());
    }

    @Test
    void anEmptyTableHasNothing() {
        assertEquals(Metrics.empty(), store.metrics());
        assertTrue(Json.metrics(store.metrics()).path("by_tag_labels").isMissingNode(), "no tags, no split");
        assertEquals(0, store.lastSequence());
        assertEquals(new ItemPage(List.of(), null), store.newest(20, null, null));
        assertEquals(List.of(), store.range(0, 10));
        assertEquals(Optional.empty(), store.get(ItemId.of(1)));
    }

    @Test
    void newestPagesBackwardsWithACursor() {
        List<Item> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add(store.put(item(i % 2 == 0 ? "EVEN" : "ODD", "neutral")));
        }
        Collections.reverse(stored);
        ItemPage first = store.newest(2, null, null);
        assertEquals(stored.subList(0, 2), first.items());
        assertEquals(stored.get(1).id(), first.next());
        ItemPage second = store.newest(2, null, first.next());
        assertEquals(stored.subList(2, 4), second.items());
        ItemPage last = store.newest(2, null, second.next());
        assertEquals(stored.subList(4, 5), last.items());
        assertNull(last.next());

        ItemPage even = store.newest(10, "EVEN", null);
        assertEquals(List.of(stored.get(0), stored.get(2), stored.get(4)), even.items());
        assertNull(even.next());
    }

    @Test
    void rangeAndGetReadByNumber() {
        Item a = store.put(item("A", "positive"));
        Item b = store.put(item("B", "negative"));
        Item c = store.put(item("A", "neutral"));

        assertEquals(List.of(b, c), store.range(1, 3));
        assertEquals(List.of(a, b), store.range(0, 2));
        assertEquals(List.of(c), store.range(2, 10), "numbers not taken yet are simply absent");
        assertEquals(List.of(), store.range(3, 3));
        assertEquals(Optional.of(b), store.get(b.id()));
        for (int i = 0; i < ItemStore.MAX_RANGE + 5; i++) {
            store.put(item("BULK", "neutral"));
        }
        assertEquals(ItemStore.MAX_RANGE, store.range(0, 1_000).size(), "one range is at most MAX_RANGE items");
    }

    @Test
    void byTagIsCappedAndSaysSo() {
        DynamoItemStore capped = new DynamoItemStore(dynamo, table, 3);
        for (String tag : List.of("A", "B", "C", "D", "E")) {
            capped.put(item(tag, "neutral"));
        }
        Metrics metrics = capped.metrics();
        assertEquals(5, metrics.total());
        assertEquals(Map.of("A", 1L, "B", 1L, "C", 1L), metrics.byTag());
        assertTrue(metrics.byTagTruncated());
        assertEquals(true, Json.metrics(metrics).path("by_tag_truncated").asBoolean());
        assertFalse(store.metrics().byTagTruncated(), "1000 tags are reported by default");
        assertTrue(Json.metrics(store.metrics()).path("by_tag_truncated").isMissingNode());
    }

    @Test
    void aRepeatWithTheSameKeyAndItemStoresOnce() {
        IdempotencyKey key = new IdempotencyKey("order-17");
        NewItem item = item("AAPL", "positive");
        Ingest first = store.put(item, key, Deadline.in(Duration.ofSeconds(10)));
        assertFalse(first.replayed());
        Ingest again = store.put(item, key, Deadline.in(Duration.ofSeconds(10)));
        assertTrue(again.replayed());
        assertEquals(first.item(), again.item(), "the original item, with its id and ts");
        assertEquals(1, store.metrics().total());

        IdempotencyKeyReusedException reused = assertThrows(IdempotencyKeyReusedException.class,
                () -> store.put(item("AAPL", "negative"), key, Deadline.in(Duration.ofSeconds(10))));
        assertTrue(reused.getMessage().contains(first.item().id()), reused.getMessage());
        assertEquals(1, store.metrics().total(), "nothing stored for the reused key");

        Ingest other = store.put(item, new IdempotencyKey("order-18"), Deadline.in(Duration.ofSeconds(10)));
        assertEquals("0000000000000002", other.item().id(), "another key is another item");
    }

    @Test
    void theSameItemWithoutAKeyIsTwoItems() {
        NewItem item = item("AAPL", "positive");
        assertEquals("0000000000000001", store.put(item).id());
        assertEquals("0000000000000002", store.put(item).id());
    }

    @Test
    void aWriteWhoseDeadlinePassedIsNotStored() {
        Deadline passed = new Deadline(System.nanoTime() - 1);
        assertThrows(StoreUnavailableException.class, () -> store.put(item("A", "neutral"), null, passed));
        assertEquals(0, store.lastSequence());
    }

    @Test
    void anUnreachableTableIsStoreUnavailable() {
        try (DynamoDbClient nowhere = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build()) {
            DynamoItemStore dead = new DynamoItemStore(nowhere, "missing");
            assertThrows(StoreUnavailableException.class, dead::ping);
            assertThrows(StoreUnavailableException.class, dead::metrics);
            assertThrows(StoreUnavailableException.class, dead::lastSequence);
            assertThrows(StoreUnavailableException.class, () -> dead.range(0, 5));
            assertThrows(StoreUnavailableException.class, () -> dead.put(item("A", "neutral")));
        }
        DynamoItemStore missingTable = new DynamoItemStore(dynamo, "no-such-table");
        assertThrows(StoreUnavailableException.class, missingTable::ping);
    }
}
