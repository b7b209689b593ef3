package dev.pulse.core;

import dev.pulse.core.testing.DynamoDbEmulator;
import dev.pulse.core.testing.TestDynamo;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store against a real DynamoDB API (the emulator), not a map. */
class DynamoItemStoreTest {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static DynamoDbEmulator emulator;
    private static DynamoDbClient dynamo;
    private DynamoItemStore store;

    @BeforeAll
    static void startEmulator() {
        emulator = DynamoDbEmulator.start();
        dynamo = TestDynamo.client(emulator);
    }

    @AfterAll
    static void stopEmulator() {
        dynamo.close();
        emulator.close();
    }

    @BeforeEach
    void freshTable() {
        String table = "store-test-" + TABLES.incrementAndGet();
        PulseTable.create(dynamo, table);
        store = new DynamoItemStore(dynamo, table);
    }

    private static NewItem item(String tag, String label) {
        return new NewItem(tag, label, 0.5, "text for " + tag, null);
    }

    @Test
    void putReturnsTheStoredItemAndCountsIt() {
        Item stored = store.put(new NewItem("AAPL", "positive", 0.75, "beats", "wire"));
        assertTrue(ItemId.isValid(stored.id()));
        assertEquals(ItemId.millisOf(stored.id()), java.time.Instant.parse(stored.ts()).toEpochMilli());
        assertEquals(List.of(stored), store.newest(10, null, null).items());

        Metrics metrics = store.metrics();
        assertEquals(1, metrics.total());
        assertEquals(1, metrics.positive());
        assertEquals(0, metrics.neutral());
        assertEquals(Map.of("AAPL", 1L), metrics.byTag());
        assertEquals(stored.ts(), metrics.updatedAt());
    }

    @Test
    void emptyTableHasZeroMetricsAndNoItems() {
        assertEquals(Metrics.empty(), store.metrics());
        assertEquals(new ItemPage(List.of(), null), store.newest(20, null, null));
        assertEquals(List.of(), store.after(null, Set.of(), 10));
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
    void afterReturnsLaterItemsOldestFirstOptionallyByTag() {
        Item a = store.put(item("A", "positive"));
        Item b = store.put(item("B", "negative"));
        Item c = store.put(item("A", "neutral"));
        Item d = store.put(item("C", "neutral"));

        assertEquals(List.of(b, c, d), store.after(a.id(), Set.of(), 10));
        assertEquals(List.of(a, b), store.after(null, Set.of(), 2));
        assertEquals(List.of(c), store.after(a.id(), Set.of("A"), 10));
        assertEquals(List.of(b, c, d), store.after(a.id(), Set.of("C", "A", "B"), 10));
        assertEquals(List.of(b, c), store.after(a.id(), Set.of("C", "A", "B"), 2));
        assertEquals(List.of(), store.after(d.id(), Set.of(), 10));
    }

    @Test
    void concurrentIngestsLeaveMetricsExactlyEqualToTheItemsStored() throws Exception {
        int threads = 8;
        int perThread = 200;
        String[] labels = {"positive", "neutral", "negative"};
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    store.put(item("T" + (i % 4), labels[(thread + i) % 3]));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        List<Item> all = store.after(null, Set.of(), threads * perThread + 10);
        assertEquals(threads * perThread, all.size());
        assertEquals(all.size(), all.stream().map(Item::id).distinct().count());
        Metrics metrics = store.metrics();
        assertEquals(all.size(), metrics.total());
        assertEquals(all.stream().filter(i -> i.label().equals("positive")).count(), metrics.positive());
        assertEquals(all.stream().filter(i -> i.label().equals("neutral")).count(), metrics.neutral());
        assertEquals(all.stream().filter(i -> i.label().equals("negative")).count(), metrics.negative());
        for (String tag : List.of("T0", "T1", "T2", "T3")) {
            assertEquals(all.stream().filter(i -> i.tag().equals(tag)).count(), metrics.byTag().get(tag), tag);
        }
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
            assertThrows(StoreUnavailableException.class, () -> dead.put(item("A", "neutral")));
        }
        DynamoItemStore missingTable = new DynamoItemStore(dynamo, "no-such-table");
        assertThrows(StoreUnavailableException.class, missingTable::ping);
    }
}
