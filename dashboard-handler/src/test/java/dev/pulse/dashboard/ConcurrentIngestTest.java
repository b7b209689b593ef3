package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Labels;
import dev.pulse.lambda.http.FunctionUrlEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 8 threads × 25 POSTs through the handler (one handler instance, as in one warm execution
 * environment shared by nothing but the JVM), every fifth of them a batch of 4: afterwards the metrics equal
 * exactly what is stored.
 */
class ConcurrentIngestTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 25;
    private static final int BATCH = 4;
    private static final List<String> TAGS = List.of("AAPL", "MSFT", "BTC-USD", "ETH.X", "NVDA");
    private static final StoreFixture fixture = StoreFixture.shared();

    @Test
    void metricsEqualTheItemsStored() throws Exception {
        DynamoItemStore store = fixture.freshStore();
        DashboardHandler handler = new DashboardHandler(store, DashboardConfig.fromEnvironment(Map.of("PULSE_API_KEY_SHA256", ApiKey.sha256Hex("k"))));
        Map<String, JsonNode> created = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        int n = thread * PER_THREAD + i;
                        boolean batch = i % 5 == 4;
                        List<String> items = new ArrayList<>();
                        for (int k = 0; k < (batch ? BATCH : 1); k++) {
                            items.add(String.format("{\"tag\":\"%s\",\"label\":\"%s\",\"score\":%s,\"text\":\"item %d.%d\"}",
                                    TAGS.get((n + k) % TAGS.size()), Labels.ALL.get((n + k) % 3), (n % 101) / 100.0, n, k));
                        }
                        String body = batch ? "[" + String.join(",", items) + "]" : items.getFirst();
                        Reply reply = Reply.call(handler, FunctionUrlEvent.post("/api/v2/items", body)
                                .header("authorization", "Bearer k"));
                        assertEquals(201, reply.status(), reply::body);
                        JsonNode answer = reply.json();
                        for (JsonNode item : batch ? answer.path("items") : List.of(answer)) {
                            created.put(item.path("id").asText(), item);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        int total = THREADS * (PER_THREAD + (BATCH - 1) * (PER_THREAD / 5));
        assertEquals(total, created.size(), "every item got its own id");

        // Everything stored, read back through the API page by page.
        Set<String> listed = new HashSet<>();
        Map<String, Long> labels = new HashMap<>();
        Map<String, Long> tags = new HashMap<>();
        String next = null;
        do {
            JsonNode page = Reply.call(handler, FunctionUrlEvent.get("/api/v2/items?limit=100"
                    + (next == null ? "" : "&after=" + next))).json();
            for (JsonNode item : page.path("items")) {
                assertTrue(listed.add(item.path("id").asText()), "no item listed twice");
                labels.merge(item.path("label").asText(), 1L, Long::sum);
                tags.merge(item.path("tag").asText(), 1L, Long::sum);
            }
            next = page.path("next").isNull() ? null : page.path("next").asText();
        } while (next != null);
        assertEquals(created.keySet(), listed);

        JsonNode metrics = Reply.call(handler, FunctionUrlEvent.get("/api/v2/metrics")).json();
        assertEquals(total, metrics.path("total").asLong());
        for (String label : Labels.ALL) {
            assertEquals(labels.getOrDefault(label, 0L), metrics.path(label).asLong(), label);
        }
        Map<String, Long> byTag = new HashMap<>();
        metrics.path("by_tag").properties().forEach(e -> byTag.put(e.getKey(), e.getValue().asLong()));
        assertEquals(tags, byTag);
        assertEquals(total, store.lastSequence(), "the newest number is the count: none taken twice or skipped");
        Set<String> inTable = new HashSet<>();
        for (long after = 0; after < total; after += ItemStore.MAX_RANGE) {
            store.range(after, total).forEach(item -> inTable.add(item.id()));
        }
        assertEquals(created.keySet(), inTable, "the table itself holds exactly the items counted");
    }
}
