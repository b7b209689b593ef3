package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.lambda.http.FunctionUrlEvent;
import dev.pulse.testing.EmfDocument;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's one line per request (docs/operations.md): its fields, the metrics it carries (an ingest, a 4xx by
 * code), valid Embedded Metric Format, and never an item's text or the write key, not even when a 4xx message
 * quotes the body.
 */
class RequestLogTest {

    private static final String KEY = "the-write-key-that-must-not-be-logged";
    private static final String SECRET = "an item text that must never be logged";
    private static final StoreFixture fixture = StoreFixture.shared();

    private static FunctionUrlEvent post(String body) {
        return FunctionUrlEvent.post("/api/v2/items", body).header("authorization", "Bearer " + KEY);
    }

    @Test
    void anIngestCountsWithItsLatencyAndARepeatDoesNot() {
        LogLines log = new LogLines();
        DashboardHandler handler = new DashboardHandler(fixture.freshStore(),
                DashboardConfig.fromEnvironment(Map.of("PULSE_API_KEY_SHA256", ApiKey.sha256Hex(KEY))), log.telemetry());
        String body = "{\"tag\":\"LOGS\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"" + SECRET + "\"}";
        Reply created = Reply.call(handler, post(body).header("idempotency-key", "k-1"));
        assertEquals(201, created.status(), created::body);
        JsonNode line = log.request(created.context().getAwsRequestId());
        assertEquals("INFO", line.path("level").asText());
        assertEquals("dashboard", line.path("function").asText());
        assertEquals("POST", line.path("method").asText());
        assertEquals(201, line.path("status").asInt());
        assertEquals(List.of(), EmfDocument.problems(line), line::toString);
        assertEquals(1, line.path("ItemsIngested").asInt());
        assertTrue(line.path("IngestLatency").asDouble() > 0, line::toString);
        assertTrue(line.path("IngestLatency").asDouble() <= line.path("duration_ms").asDouble() + 0.1, line::toString);

        Reply repeat = Reply.call(handler, post(body).header("idempotency-key", "k-1"));
        assertEquals(200, repeat.status());
        JsonNode repeatLine = log.request(repeat.context().getAwsRequestId());
        assertFalse(repeatLine.has("ItemsIngested") || EmfDocument.isEmf(repeatLine), "a repeat stored nothing: " + repeatLine);

        Reply batch = Reply.call(handler, post("[" + body + "," + body + "," + body + "]").header("idempotency-key", "k-2"));
        assertEquals(201, batch.status(), batch::body);
        JsonNode batchLine = log.request(batch.context().getAwsRequestId());
        assertEquals(List.of(), EmfDocument.problems(batchLine), batchLine::toString);
        assertEquals(3, batchLine.path("ItemsIngested").asInt(), "a batch counts its items: " + batchLine);
        Reply batchRepeat = Reply.call(handler, post("[" + body + "," + body + "," + body + "]").header("idempotency-key", "k-2"));
        assertEquals(200, batchRepeat.status());
        assertFalse(log.request(batchRepeat.context().getAwsRequestId()).has("ItemsIngested"));
    }

    @Test
    void everyRequestHasOneLineAndA4xxCountsByItsCode() {
        LogLines log = new LogLines();
        DashboardHandler handler = new DashboardHandler(fixture.freshStore(),
                DashboardConfig.fromEnvironment(Map.of("PULSE_API_KEY_SHA256", ApiKey.sha256Hex(KEY))), log.telemetry());
        List<Reply> replies = List.of(
                Reply.call(handler, FunctionUrlEvent.get("/api/v2/metrics")),
                Reply.call(handler, FunctionUrlEvent.get("/")),
                Reply.call(handler, FunctionUrlEvent.get("/api/v2/items?limit=0")),
                Reply.call(handler, FunctionUrlEvent.post("/api/v2/items", "{}")
                        .header("authorization", "Bearer not-" + KEY)),
                Reply.call(handler, post("{\"tag\":\"LOGS\",\"text\":\"" + SECRET + "\"")),       // not JSON
                Reply.call(handler, post("{\"tag\":\"lower\",\"label\":\"x\",\"score\":2,\"text\":\"" + SECRET + "\"}")),
                Reply.call(handler, FunctionUrlEvent.get("/api/v2/stream")));
        assertEquals(replies.size(), log.lines.size(), () -> "one line per request: " + log.lines);
        List<String> codes = replies.stream().map(r -> log.request(r.context().getAwsRequestId()).path("error_code").asText(""))
                .toList();
        assertEquals(List.of("", "", "invalid_query", "unauthorized", "invalid_json", "validation_failed",
                "misdirected_stream_request"), codes);
        for (Reply reply : replies) {
            JsonNode line = log.request(reply.context().getAwsRequestId());
            assertEquals(reply.status(), line.path("status").asInt());
            if (reply.status() >= 400) {
                assertEquals(List.of(), EmfDocument.problems(line), line::toString);
                assertEquals(1, line.path("ClientErrors").asInt(), line::toString);
            }
        }
        String everything = String.join("\n", log.lines) + replies.stream()
                .flatMap(r -> r.context().logged.stream()).reduce("", String::concat);
        assertFalse(everything.contains(SECRET), "no item text, even where the 4xx message quotes the body");
        assertFalse(everything.contains(KEY), "no key, right or wrong");
    }

    /**
     * One warm handler serving many requests at once, as the local stack and a busy client do: every request still
     * gets exactly one line, with its own status, error code and ingest metric, never another request's.
     */
    @Test
    void concurrentRequestsEachGetTheirOwnLine() throws Exception {
        LogLines log = new LogLines();
        DynamoItemStore store = fixture.freshStore();
        DashboardHandler handler = new DashboardHandler(store,
                DashboardConfig.fromEnvironment(Map.of("PULSE_API_KEY_SHA256", ApiKey.sha256Hex(KEY))), log.telemetry());
        int threads = 8;
        int perThread = 9;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Reply>>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    List<Reply> replies = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        replies.add(Reply.call(handler, switch (i % 3) {
                            case 0 -> post("{\"tag\":\"LOGS\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"t" + thread + "-" + i + "\"}");
                            case 1 -> FunctionUrlEvent.get("/api/v2/items?limit=0");
                            default -> FunctionUrlEvent.get("/api/v2/stream");
                        }));
                    }
                    return replies;
                }));
            }
            start.countDown();
            List<Reply> all = new ArrayList<>();
            for (Future<List<Reply>> worker : workers) {
                all.addAll(worker.get(60, TimeUnit.SECONDS));
            }
            assertEquals(threads * perThread, all.size());
            assertEquals(all.size(), log.lines.size(), "one line per request, none lost, none doubled");
            long created = 0;
            for (Reply reply : all) {
                JsonNode line = log.request(reply.context().getAwsRequestId());
                assertEquals(reply.status(), line.path("status").asInt(), line::toString);
                String code = reply.status() >= 400 ? reply.json().path("error").asText() : "";
                assertEquals(code, line.path("error_code").asText(""), line::toString);
                assertEquals(reply.status() == 201, line.has("ItemsIngested"), line::toString);
                created += reply.status() == 201 ? 1 : 0;
            }
            assertEquals(threads * 3, created, "every write was stored: " + all.stream().map(Reply::status).toList());
            assertEquals(created, store.metrics().total());
        } finally {
            pool.shutdownNow();
        }
    }
}
