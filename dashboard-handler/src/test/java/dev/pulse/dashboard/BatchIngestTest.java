package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Json;
import dev.pulse.core.Metrics;
import dev.pulse.lambda.http.FunctionUrlEvent;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/v2/items} with a JSON array: a batch stored all or nothing, through the handler. */
class BatchIngestTest {

    private static final StoreFixture fixture = StoreFixture.shared();

    private static DashboardHandler handler(DynamoItemStore store) {
        return new DashboardHandler(store, DashboardConfig.fromEnvironment(Map.of()));
    }

    private static ObjectNode item(String tag, String label, String text) {
        return Json.object().put("tag", tag).put("label", label).put("score", 0.5).put("text", text);
    }

    /** {@code size} items; item i has tag T(i % tags). */
    private static ArrayNode batch(int size, int tags, String text) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (int i = 0; i < size; i++) {
            items.add(item("T" + (i % tags), List.of("positive", "neutral", "negative").get(i % 3), text + " " + i));
        }
        return items;
    }

    private static FunctionUrlEvent post(JsonNode body) {
        return FunctionUrlEvent.post("/api/v2/items", Json.write(body));
    }

    @Test
    void aBatchIs201WithItsItemsInOrderUnderContiguousIds() {
        DynamoItemStore store = fixture.freshStore();
        DashboardHandler handler = handler(store);
        assertEquals(201, Reply.call(handler, post(item("ONE", "neutral", "a single item first"))).status());

        ArrayNode sent = batch(25, 5, "batch");
        Reply reply = Reply.call(handler, post(sent));
        assertEquals(201, reply.status(), reply::body);
        JsonNode items = reply.json().path("items");
        assertEquals(25, items.size());
        for (int i = 0; i < 25; i++) {
            JsonNode stored = items.get(i);
            assertEquals(ItemId.of(2 + i), stored.path("id").asText(), "contiguous, in the array's order");
            assertEquals(sent.get(i).path("text").asText(), stored.path("text").asText());
            assertEquals(sent.get(i).path("tag").asText(), stored.path("tag").asText());
            assertEquals(stored, Reply.call(handler, FunctionUrlEvent.get("/api/v2/items/" + stored.path("id").asText()))
                    .json(), "what the answer says is what is stored");
        }
        Metrics metrics = store.metrics();
        assertEquals(26, metrics.total());
        assertEquals(Map.of("ONE", 1L, "T0", 5L, "T1", 5L, "T2", 5L, "T3", 5L, "T4", 5L), metrics.byTag());
        assertEquals(9, metrics.positive(), "items 0, 3, ..., 24");
        assertEquals(8 + 1, metrics.neutral(), "items 1, 4, ..., 22 and the single one");
        assertEquals(8, metrics.negative());
    }

    @Test
    void theLimitIsOneTransaction_49ItemsWithATagEachAndAKeyAre201_50Are413() {
        DynamoItemStore store = fixture.freshStore();
        DashboardHandler handler = handler(store);
        Reply largest = Reply.call(handler, post(batch(ItemStore.MAX_BATCH, ItemStore.MAX_BATCH, "t"))
                .header("idempotency-key", "largest"));
        assertEquals(201, largest.status(), largest::body);
        assertEquals(ItemStore.MAX_BATCH, largest.json().path("items").size());

        Reply tooMany = Reply.call(handler, post(batch(ItemStore.MAX_BATCH + 1, 5, "one more")));
        JsonNode error = tooMany.assertError(413, "too_many_items");
        assertEquals(ItemStore.MAX_BATCH, error.path("max_items").asInt());
        assertTrue(error.path("message").asText().contains("at most 49"), error::toString);
        assertEquals(ItemStore.MAX_BATCH, store.metrics().total(), "nothing of the refused batch stored");
    }

    @Test
    void oneBadItemIs422NamingItsIndexAndField_andNothingIsStored() {
        DynamoItemStore store = fixture.freshStore();
        DashboardHandler handler = handler(store);
        ArrayNode sent = batch(10, 3, "fine");
        ((ObjectNode) sent.get(3)).put("score", 1.5);
        ((ObjectNode) sent.get(7)).put("tag", "lower").remove("text");
        sent.set(8, Json.MAPPER.getNodeFactory().textNode("not an item"));
        JsonNode error = Reply.call(handler, post(sent)).assertError(422, "validation_failed");
        Map<String, String> fields = new java.util.TreeMap<>();
        error.path("fields").properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        assertEquals(Set.of("[3].score", "[7].tag", "[7].text", "[8]"), fields.keySet(), error::toString);
        assertEquals("must be between 0.0 and 1.0", fields.get("[3].score"));
        assertEquals("must be a JSON object", fields.get("[8]"));
        assertEquals(Metrics.empty(), store.metrics(), "all or nothing");
    }

    @Test
    void oneKeyCoversTheBatch_aRepeatIs200WithTheOriginals_anotherBatchIs422() {
        DynamoItemStore store = fixture.freshStore();
        DashboardHandler handler = handler(store);
        ArrayNode sent = batch(5, 2, "keyed");
        Reply first = Reply.call(handler, post(sent).header("idempotency-key", "batch-key"));
        assertEquals(201, first.status(), first::body);
        Reply again = Reply.call(handler, FunctionUrlEvent.post("/api/v2/items", sent.toPrettyString())
                .header("idempotency-key", "batch-key"));
        assertEquals(200, again.status(), "the same batch, spacing aside, is a repeat: " + again.body());
        assertEquals(first.json(), again.json(), "the original items, ids and ts included");

        ArrayNode other = batch(5, 2, "keyed");
        ((ObjectNode) other.get(4)).put("text", "changed");
        Reply reused = Reply.call(handler, post(other).header("idempotency-key", "batch-key"));
        JsonNode error = reused.assertError(422, "idempotency_key_reused");
        assertTrue(error.path("message").asText().contains(first.json().path("items").get(0).path("id").asText()),
                error::toString);
        assertEquals(5, store.metrics().total());
    }

    /** Every send from its own "execution environment" (handler and client), all at once, beside single writers. */
    @Test
    void concurrentSendsOfOneBatchWithOneKeyStoreItOnce() throws Exception {
        DynamoItemStore store = fixture.freshStore();
        ArrayNode sent = batch(12, 4, "sent 8 times");
        int sends = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(sends + 2);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < sends; i++) {
                replies.add(pool.submit(() -> {
                    try (DynamoDbClient client = TestDynamo.client(fixture.emulator())) {
                        DashboardHandler handler = handler(new DynamoItemStore(client, store.tableName()));
                        start.await();
                        return Reply.call(handler, post(sent).header("idempotency-key", "one-batch"));
                    }
                }));
            }
            List<Future<?>> others = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                others.add(pool.submit(() -> {
                    try (DynamoDbClient client = TestDynamo.client(fixture.emulator())) {
                        DashboardHandler handler = handler(new DynamoItemStore(client, store.tableName()));
                        start.await();
                        for (int i = 0; i < 6; i++) {
                            assertEquals(201, Reply.call(handler, post(item("OTHER", "neutral", writer + "/" + i))).status());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            Set<JsonNode> bodies = new HashSet<>();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Reply> reply : replies) {
                Reply r = reply.get(60, TimeUnit.SECONDS);
                statuses.add(r.status());
                bodies.add(r.json());
            }
            for (Future<?> other : others) {
                other.get(60, TimeUnit.SECONDS);
            }
            assertEquals(1, bodies.size(), () -> "every send got the same items: " + bodies);
            assertEquals(List.of(201), statuses.stream().filter(s -> s == 201).toList(), "one stored it: " + statuses);
            assertEquals(sends - 1, statuses.stream().filter(s -> s == 200).count(), "the others replayed it: " + statuses);
            JsonNode items = bodies.iterator().next().path("items");
            long first = ItemId.sequenceOf(items.get(0).path("id").asText());
            for (int i = 0; i < items.size(); i++) {
                assertEquals(ItemId.of(first + i), items.get(i).path("id").asText(), "contiguous among other writes");
            }
            Metrics metrics = store.metrics();
            assertEquals(12 + 12, metrics.total(), "the batch once, and the 12 single items");
            assertEquals(12L, metrics.byTag().get("OTHER"));
        } finally {
            pool.shutdownNow();
        }
    }
}
