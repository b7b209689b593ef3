package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.lambda.http.FunctionUrlEvent;
import dev.pulse.testing.FaultyDynamoProxy.Fault;
import dev.pulse.testing.FaultyDynamoProxy;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Idempotency-Key} through the handler, and the deadline every store call gets from the invocation. */
class IdempotentWriteTest {

    private static final String BODY = "{\"tag\":\"AAPL\",\"label\":\"positive\",\"score\":0.9,\"text\":\"once\"}";
    private static final StoreFixture fixture = StoreFixture.shared();

    private static DashboardHandler handler(DynamoItemStore store) {
        return new DashboardHandler(store, DashboardConfig.fromEnvironment(Map.of()));
    }

    private static FunctionUrlEvent write(String body, String key) {
        return FunctionUrlEvent.post("/api/v2/items", body).header("idempotency-key", key);
    }

    @Test
    void aRetryWithTheSameKeyGetsTheOriginalWith200_andAnotherBodyIs422() {
        DynamoItemStore store = fixture.freshStore();
        DashboardHandler handler = handler(store);
        Reply first = Reply.call(handler, write(BODY, "f47ac10b-58cc-4372-a567-0e02b2c3d479"));
        assertEquals(201, first.status(), first::body);
        Reply retry = Reply.call(handler, write(BODY.replace(",", ", "), "f47ac10b-58cc-4372-a567-0e02b2c3d479"));
        assertEquals(200, retry.status(), "the same item (spacing aside) is a repeat: " + retry.body());
        assertEquals(first.json(), retry.json(), "the original item, id and ts included");
        assertEquals(first.header("Location"), retry.header("Location"));

        Reply reused = Reply.call(handler, write(BODY.replace("once", "twice"), "f47ac10b-58cc-4372-a567-0e02b2c3d479"));
        assertEquals(422, reused.status());
        JsonNode error = reused.json();
        assertEquals("idempotency_key_reused", error.path("error").asText());
        assertTrue(error.path("message").asText().contains(first.json().path("id").asText()), error::toString);
        assertEquals(1, store.metrics().total(), "one item stored for three writes with one key");
    }

    @Test
    void concurrentRetriesWithOneKeyThroughTheHandlerStoreOnce() throws Exception {
        DynamoItemStore store = fixture.freshStore();
        int retries = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(retries);
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < retries; i++) {
            // each retry in its own "execution environment": its own handler and client
            replies.add(pool.submit(() -> {
                try (DynamoDbClient client = TestDynamo.client(fixture.emulator())) {
                    DashboardHandler handler = handler(new DynamoItemStore(client, store.tableName()));
                    start.await();
                    return Reply.call(handler, write(BODY, "same-key"));
                }
            }));
        }
        start.countDown();
        Set<String> ids = new HashSet<>();
        Set<JsonNode> bodies = new HashSet<>();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Reply> reply : replies) {
            Reply r = reply.get();
            statuses.add(r.status());
            ids.add(r.json().path("id").asText());
            bodies.add(r.json());
        }
        pool.shutdown();
        assertEquals(1, ids.size(), "one item for every retry: " + ids);
        assertEquals(1, bodies.size(), "every retry got the original item, ts included: " + bodies);
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one 201: " + statuses);
        assertEquals(retries - 1, statuses.stream().filter(s -> s == 200).count(), "the rest 200: " + statuses);
        assertEquals(1, store.metrics().total());
    }

    @Test
    void aStoreSlowerThanTheInvocationGets503BeforeTheFunctionTimesOut() {
        String table = fixture.freshTable();
        try (FaultyDynamoProxy proxy = FaultyDynamoProxy.in(fixture.emulator().endpoint())
                .add(new Fault("TransactWriteItems", "held", Fault.Kind.HOLD_BEFORE, Duration.ofSeconds(5), 5));
             DynamoDbClient client = TestDynamo.client(proxy.endpoint())) {
            DashboardHandler handler = handler(new DynamoItemStore(client, table));
            long start = System.nanoTime();
            // 2.5 s left in the invocation: the handler keeps 1 s to answer, so the store gets 1.5 s.
            Reply reply = Reply.call(handler, FunctionUrlEvent.post("/api/v2/items", BODY.replace("once", "held")),
                    new TestContext(2_500));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, reply.status(), reply::body);
            assertEquals("store_unavailable", reply.json().path("error").asText());
            assertTrue(tookMs < 2_500, "answered before the invocation's end: " + tookMs + " ms");
        }
    }
}
