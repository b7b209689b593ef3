package dev.pulse.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Item;
import dev.pulse.core.Json;
import dev.pulse.core.StoreUnavailableException;
import dev.pulse.lambda.runtime.StubRuntimeApi;
import dev.pulse.sse.app.InMemoryStore;
import dev.pulse.testing.SseFrame;
import dev.pulse.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime against a real (test) Runtime API over sockets: the bytes on the wire for whole answers,
 * streams, early and mid-stream failures, init failure; routing and bad input.
 */
class RuntimeProtocolTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    /** The runtime ends a stream 5 s before the deadline: a deadline this far away gives a stream of {@code d}. */
    static Duration streamFor(Duration d) {
        return Duration.ofSeconds(5).plus(d);
    }

    static final Map<String, String> FAST = Map.of(
            "SSE_HEARTBEAT_INTERVAL_SECONDS", "1",
            "SSE_POLL_INTERVAL_MS", "100",
            "PULSE_CORS_ALLOWED_ORIGINS", "https://app.example");

    /** The prelude chunk: JSON, then exactly 8 NUL bytes, nothing else. */
    static JsonNode prelude(StubRuntimeApi.Chunk chunk) throws Exception {
        byte[] data = chunk.data();
        int firstNul = -1;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                firstNul = i;
                break;
            }
        }
        assertTrue(firstNul > 0, "the first chunk holds the JSON prelude and the NUL delimiter");
        assertEquals(firstNul + 8, data.length, "exactly 8 NUL bytes end the first chunk");
        assertArrayEquals(new byte[8], Arrays.copyOfRange(data, firstNul, data.length));
        JsonNode prelude = Json.parse(new String(data, 0, firstNul, StandardCharsets.UTF_8));
        assertTrue(prelude.path("cookies").isArray());
        assertEquals(0, prelude.path("cookies").size());
        return prelude;
    }

    static void assertStreamingHead(StubRuntimeApi.Recorded r, String requestId) {
        assertEquals("POST", r.method);
        assertEquals("/2018-06-01/runtime/invocation/" + requestId + "/response", r.path);
        assertEquals("streaming", r.header("Lambda-Runtime-Function-Response-Mode"));
        assertEquals("chunked", r.header("Transfer-Encoding"));
        assertEquals("application/vnd.awslambda.http-integration-response", r.header("Content-Type"));
        assertEquals("Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body", r.header("Trailer"));
        assertNull(r.header("Content-Length"));
    }

    /** A whole answer: head, prelude chunk, one body chunk, clean end. Returns the body. */
    static JsonNode wholeAnswer(StubRuntimeApi.Recorded r, String requestId, int status) throws Exception {
        r.awaitDone(WAIT);
        assertStreamingHead(r, requestId);
        List<StubRuntimeApi.Chunk> chunks = r.chunks();
        assertEquals(2, chunks.size(), "prelude chunk + one body chunk");
        JsonNode prelude = prelude(chunks.get(0));
        assertEquals(status, prelude.path("statusCode").asInt());
        assertEquals("application/json", prelude.path("headers").path("Content-Type").asText());
        assertTrue(r.trailers.isEmpty(), "a clean end has no trailers");
        return Json.parse(chunks.get(1).text());
    }

    /**
     * An invocation that failed before any response byte: one POST to its {@code /error}, the type in the header and
     * the body alike. Returns the body.
     */
    static JsonNode errorPost(StubRuntimeApi.Recorded r, String requestId, String errorType) throws Exception {
        r.awaitDone(WAIT);
        assertEquals("POST", r.method);
        assertEquals("/2018-06-01/runtime/invocation/" + requestId + "/error", r.path);
        assertEquals(errorType, r.header("Lambda-Runtime-Function-Error-Type"));
        JsonNode body = Json.parse(r.bodyText());
        assertEquals(errorType, body.path("errorType").asText());
        return body;
    }

    /** Every chunk after the prelude holds exactly one whole SSE block: an event, a comment or a retry. */
    static List<SseFrame> oneEventPerChunk(List<StubRuntimeApi.Chunk> chunks) {
        List<SseFrame> frames = new ArrayList<>();
        for (StubRuntimeApi.Chunk chunk : chunks.subList(1, chunks.size())) {
            List<SseFrame> parsed = SseParser.parse(chunk.text());
            assertEquals(1, parsed.size(), "one event per chunk: " + chunk.text());
            frames.add(parsed.getFirst());
        }
        return frames;
    }

    /** The events of {@link #oneEventPerChunk}, without its heartbeats and retry lines. */
    static List<SseFrame.Event> eventsOnePerChunk(List<StubRuntimeApi.Chunk> chunks) {
        return oneEventPerChunk(chunks).stream().filter(SseFrame.Event.class::isInstance).map(SseFrame.Event.class::cast)
                .toList();
    }

    static SseFrame.Event asEvent(SseFrame frame) {
        if (frame instanceof SseFrame.Event event) {
            return event;
        }
        throw new AssertionError("an event expected, not " + frame);
    }

    @Test
    void wholeAnswersGoOutAsPreludeDelimiterAndOneChunk_acrossSeveralInvocations() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.enqueue("req-status", Duration.ofSeconds(60), Events.get("//api//v2/stream/status/", ""));
            JsonNode status = wholeAnswer(h.api.nextPost(WAIT), "req-status", 200);
            assertEquals("ok", status.path("status").asText());
            assertEquals("RESPONSE_STREAM", status.path("invoke_mode").asText());
            assertEquals(1, status.path("heartbeat_interval_seconds").asInt());
            assertEquals(50, status.path("max_stream_seconds").asInt());
            assertEquals(100, status.path("poll_interval_ms").asInt());
            assertEquals("test-1", status.path("version").asText());

            h.api.enqueue("req-health", Duration.ofSeconds(60), Events.get("/health", ""));
            JsonNode health = wholeAnswer(h.api.nextPost(WAIT), "req-health", 200);
            assertEquals("ok", health.path("status").asText());
            assertEquals("memory", health.path("table").asText());

            h.api.enqueue("req-404", Duration.ofSeconds(60), Events.get("/api/v2/items", ""));
            assertEquals("not_found", wholeAnswer(h.api.nextPost(WAIT), "req-404", 404).path("error").asText());
        }
    }

    @Test
    void streamIsOneChunkPerEvent_withSnapshotNewItemsMetricsAndReconnectBeforeTheDeadline() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.put("AAPL", "old one");
        Item newestBefore = store.put("MSFT", "old two");
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.enqueue("req-stream", streamFor(Duration.ofMillis(1800)),
                    Events.request("GET", "/api/v2/stream", "", Map.of("origin", "https://app.example")));
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT);
            r.awaitChunk(2, WAIT);   // prelude, retry, snapshot: the stream is live
            Item live = store.put("AAPL", "live one");
            r.awaitDone(WAIT);

            assertStreamingHead(r, "req-stream");
            List<StubRuntimeApi.Chunk> chunks = r.chunks();
            JsonNode prelude = prelude(chunks.getFirst());
            assertEquals(200, prelude.path("statusCode").asInt());
            JsonNode headers = prelude.path("headers");
            assertEquals("text/event-stream; charset=utf-8", headers.path("Content-Type").asText());
            assertEquals("no-cache", headers.path("Cache-Control").asText());
            assertEquals("no", headers.path("X-Accel-Buffering").asText());
            assertEquals("https://app.example", headers.path("Access-Control-Allow-Origin").asText());
            assertEquals("Origin", headers.path("Vary").asText());

            List<SseFrame> events = oneEventPerChunk(chunks);
            assertEquals(new SseFrame.Retry(3000), events.get(0));
            SseFrame.Event snapshot = asEvent(events.get(1));
            assertEquals("metrics", snapshot.type());
            assertEquals(newestBefore.id(), snapshot.id(), "the snapshot carries the newest id known at start");
            assertEquals(2, Json.parse(snapshot.data()).path("total").asInt());

            List<SseFrame.Event> data = eventsOnePerChunk(chunks);
            List<String> newItems = data.stream().filter(e -> e.type().equals("new_item")).map(SseFrame.Event::id).toList();
            assertEquals(List.of(live.id()), newItems, "only the item written during the stream");
            SseFrame.Event item = data.stream().filter(e -> e.type().equals("new_item")).findFirst().orElseThrow();
            JsonNode itemJson = Json.parse(item.data());
            assertEquals(live.id(), itemJson.path("id").asText());
            assertEquals("live one", itemJson.path("text").asText());
            SseFrame.Event after = data.get(data.indexOf(item) + 1);
            assertEquals("metrics", after.type());
            assertEquals(live.id(), after.id(), "metrics after an item carry the last item id");
            assertEquals(3, Json.parse(after.data()).path("total").asInt());

            SseFrame.Event last = asEvent(events.getLast());
            assertEquals("reconnect", last.type());
            assertEquals(live.id(), last.id());
            JsonNode reconnect = Json.parse(last.data());
            assertEquals("deadline", reconnect.path("reason").asText());
            assertEquals(live.id(), reconnect.path("last_event_id").asText());
            for (SseFrame.Event e : data) {
                assertTrue(e.id() != null && !e.id().isEmpty(), "every data event carries an id: " + e);
            }
            assertTrue(r.trailers.isEmpty());
        }
    }

    @Test
    void heartbeatsComeAfterTheIntervalOfSilence_andEveryWriteResetsTheTimer() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.enqueue("req-hb", streamFor(Duration.ofMillis(5200)), Events.get("/api/v2/stream", ""));
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT);
            StubRuntimeApi.Chunk snapshot = r.awaitChunk(2, WAIT);
            // Off the 1 s grid on purpose: a timer that ignores writes would beat ~0.5 s after the item.
            long sleepNanos = snapshot.arrivedNanos() + 2_500_000_000L - System.nanoTime();
            Thread.sleep(Math.max(0, sleepNanos / 1_000_000));
            store.put("AAPL", "mid-stream");
            r.awaitDone(WAIT);

            List<StubRuntimeApi.Chunk> chunks = r.chunks();
            List<SseFrame> events = oneEventPerChunk(chunks);
            int heartbeats = 0;
            boolean heartbeatAfterData = false;
            for (int i = 1; i < events.size(); i++) {
                long gapMs = (chunks.get(i + 1).arrivedNanos() - chunks.get(i).arrivedNanos()) / 1_000_000;
                SseFrame event = events.get(i);
                if (event.isHeartbeat()) {
                    heartbeats++;
                    assertTrue(gapMs >= 750 && gapMs <= 1250,
                            "a heartbeat " + gapMs + " ms after the previous write (expected 1000 ± 250): " + events);
                    // index 1 is the snapshot; a data event later than that is the live item's
                    heartbeatAfterData |= i - 1 > 1 && events.get(i - 1) instanceof SseFrame.Event;
                } else if (!event.isEvent("reconnect")) {
                    assertTrue(gapMs <= 1250, "no silence longer than the interval: " + gapMs + " ms");
                }
            }
            assertTrue(heartbeats >= 3, "at least three heartbeats in 5 s: " + events);
            assertTrue(heartbeatAfterData, "a heartbeat followed the live item's events: " + events);
            assertTrue(events.stream().anyMatch(e -> e.isEvent("new_item")));
        }
    }

    @Test
    void maxStreamSecondsEndsTheStreamWithReconnect() throws Exception {
        InMemoryStore store = new InMemoryStore();
        Item only = store.put("AAPL", "x");
        Map<String, String> env = new java.util.HashMap<>(FAST);
        env.put("SSE_MAX_STREAM_SECONDS", "1");
        try (RuntimeHarness h = new RuntimeHarness(store, env)) {
            h.api.enqueue("req-max", Duration.ofMinutes(10), Events.get("/api/v2/stream", ""));
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT).awaitDone(WAIT);
            List<StubRuntimeApi.Chunk> chunks = r.chunks();
            long tookMs = (chunks.getLast().arrivedNanos() - chunks.getFirst().arrivedNanos()) / 1_000_000;
            assertTrue(tookMs >= 900 && tookMs < 2000, "ended after ~1 s: " + tookMs);
            List<SseFrame> events = oneEventPerChunk(chunks);
            SseFrame.Event last = asEvent(events.getLast());
            assertEquals("reconnect", last.type());
            assertEquals(new SseFrame.Retry(500), events.get(events.size() - 2),
                    "a planned end shortens the client's reconnect delay to 500 ms: " + events);
            assertEquals(new SseFrame.Retry(3000), events.getFirst(), "failures keep the 3 s delay");
            assertEquals("max_duration", Json.parse(last.data()).path("reason").asText());
            assertEquals(only.id(), Json.parse(last.data()).path("last_event_id").asText());
        }
    }

    @Test
    void aFailureMidStreamEndsTheBodyWithTheErrorTrailers() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.put("AAPL", "before");
        store.pollReadFailure = call -> call >= 2 ? new IllegalStateException("poll exploded") : null;
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.enqueue("req-fail", streamFor(Duration.ofSeconds(10)), Events.get("/api/v2/stream", ""));
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT).awaitDone(WAIT);
            assertStreamingHead(r, "req-fail");
            assertEquals(200, prelude(r.chunks().getFirst()).path("statusCode").asInt());
            assertEquals("metrics", eventsOnePerChunk(r.chunks()).getFirst().type(), "the stream had started");
            assertEquals("IllegalStateException", r.trailers.get("Lambda-Runtime-Function-Error-Type"));
            JsonNode body = Json.parse(new String(Base64.getDecoder().decode(
                    r.trailers.get("Lambda-Runtime-Function-Error-Body")), StandardCharsets.UTF_8));
            assertEquals("IllegalStateException", body.path("errorType").asText());
            assertEquals("poll exploded", body.path("errorMessage").asText());

            // the runtime carries on with the next invocation
            store.pollReadFailure = call -> null;
            h.api.enqueue("req-after", Duration.ofSeconds(60), Events.get("/api/v2/stream/status", ""));
            wholeAnswer(h.api.nextPost(WAIT), "req-after", 200);
        }
    }

    @Test
    void anErrorInThePollerEndsTheStreamWithinAPollInterval_andTheRuntimeGoesOn() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.pollReadFailure = call -> call == 3 ? new AssertionError("a broken invariant") : null;
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.enqueue("req-error", streamFor(Duration.ofSeconds(30)), Events.get("/api/v2/stream", ""));
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT).awaitDone(WAIT);
            long tookMs = (r.chunks().getLast().arrivedNanos() - r.chunks().getFirst().arrivedNanos()) / 1_000_000;
            assertTrue(tookMs < 2_000, "ended soon after the third poll (100 ms apart), not at the deadline: " + tookMs);
            assertEquals("AssertionError", r.trailers.get("Lambda-Runtime-Function-Error-Type"));

            h.api.enqueue("req-next", Duration.ofSeconds(60), Events.get("/api/v2/stream/status", ""));
            wholeAnswer(h.api.nextPost(WAIT), "req-next", 200);
        }
    }

    @Test
    void anOutOfMemoryErrorIsReported_thenTheEnvironmentEnds() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.awaitWaitingNext(1, WAIT);   // after init, whose priming reads the table too
            store.metricsFailure = new OutOfMemoryError("Java heap space (simulated)");
            h.api.enqueue("req-oom", Duration.ofSeconds(60), Events.get("/api/v2/stream", ""));
            JsonNode body = errorPost(h.api.nextPost(WAIT), "req-oom", "OutOfMemoryError");
            assertEquals("Java heap space (simulated)", body.path("errorMessage").asText());
            assertEquals(3, h.awaitExit(), "a JVM that ran out of memory is not trusted with the next invocation");
        }
    }

    @Test
    void aFailureBeforeAnyByteGoesToTheErrorEndpoint() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.metricsFailure = new IllegalStateException("metrics exploded");
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.enqueue("req-early", Duration.ofSeconds(60), Events.get("/api/v2/stream", ""));
            JsonNode body = errorPost(h.api.nextPost(WAIT), "req-early", "IllegalStateException");
            assertEquals("metrics exploded", body.path("errorMessage").asText());

            h.api.enqueue("req-garbage", Duration.ofSeconds(60), "this is not json");
            JsonNode garbage = errorPost(h.api.nextPost(WAIT), "req-garbage", "Runtime.InvalidEvent");
            assertTrue(garbage.path("errorMessage").asText().contains("not JSON"), garbage::toString);

            store.metricsFailure = new StoreUnavailableException("table gone", null);
            h.api.enqueue("req-503", Duration.ofSeconds(60), Events.get("/api/v2/stream", ""));
            assertEquals("store_unavailable", wholeAnswer(h.api.nextPost(WAIT), "req-503", 503).path("error").asText());
        }
    }

    @Test
    void aTableThatCannotBeSetUpLeavesTheFunctionUp_answering503WithTheReason() throws Exception {
        try (RuntimeHarness h = new RuntimeHarness(SseRuntimeMain::openStore, FAST)) {   // FAST names no PULSE_TABLE
            h.api.enqueue("req-health", Duration.ofSeconds(60), Events.get("/health", ""));
            JsonNode health = wholeAnswer(h.api.nextPost(WAIT), "req-health", 503);
            assertEquals("unavailable", health.path("status").asText());
            assertTrue(health.path("table").isNull(), health.toString());
            JsonNode line = h.awaitLogLine(l -> "req-health".equals(l.path("requestId").asText()));
            assertTrue(line.path("error").asText().contains("PULSE_TABLE"), () -> "the reason is logged: " + line);

            h.api.enqueue("req-stream", Duration.ofSeconds(60), Events.get("/api/v2/stream", ""));
            assertEquals("store_unavailable", wholeAnswer(h.api.nextPost(WAIT), "req-stream", 503).path("error").asText());
            h.api.enqueue("req-status", Duration.ofSeconds(60), Events.get("/api/v2/stream/status", ""));
            assertEquals("ok", wholeAnswer(h.api.nextPost(WAIT), "req-status", 200).path("status").asText());
            assertTrue(h.api.recorded().stream().noneMatch(r -> r.path.endsWith("/init/error")), "init did not fail");
        }
    }

    @Test
    void anInitFailureIsReportedToInitError() throws Exception {
        try (RuntimeHarness h = new RuntimeHarness(new InMemoryStore(), Map.of("SSE_POLL_INTERVAL_MS", "soon"))) {
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("POST", r.method);
            assertEquals("/2018-06-01/runtime/init/error", r.path);
            assertEquals("Runtime.IllegalArgumentException", r.header("Lambda-Runtime-Function-Error-Type"));
            JsonNode body = Json.parse(r.bodyText());
            assertTrue(body.path("errorMessage").asText().contains("SSE_POLL_INTERVAL_MS"), body.toString());
            assertEquals(1, h.awaitExit());
            assertEquals(0, h.api.nextCalls(), "no invocation is taken after a failed init");
        }
    }

    @Test
    void pollFailuresAreRetriedWhileHeartbeatsContinue() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.pollReadFailure = call -> call >= 2 && call <= 4 ? new StoreUnavailableException("throttled", null) : null;
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.enqueue("req-retry", streamFor(Duration.ofMillis(2600)), Events.get("/api/v2/stream", ""));
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT);
            r.awaitChunk(2, WAIT);
            Item item = store.put("AAPL", "survives");
            r.awaitDone(WAIT);
            List<SseFrame> events = oneEventPerChunk(r.chunks());
            assertTrue(events.stream().anyMatch(SseFrame::isHeartbeat), "heartbeats went on: " + events);
            assertEquals(List.of(item.id()), eventsOnePerChunk(r.chunks()).stream().filter(e -> e.type().equals("new_item"))
                    .map(SseFrame.Event::id).toList());
            assertTrue(store.pollReads.get() > 4, "polling resumed after the failures");
            assertTrue(r.trailers.isEmpty());
        }
    }

    @Test
    void badInputGetsTheDocumentedAnswers() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.put("AAPL", "old");
        Item newest = store.put("AAPL", "newest");
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.enqueue("t1", Duration.ofSeconds(60), Events.get("/api/v2/stream", "tags=aapl"));
            JsonNode lowerCase = wholeAnswer(h.api.nextPost(WAIT), "t1", 400);
            assertEquals("invalid_tags", lowerCase.path("error").asText());
            assertTrue(lowerCase.path("message").asText().endsWith("tags are upper case: AAPL"), lowerCase::toString);
            h.api.enqueue("t2", Duration.ofSeconds(60), Events.get("/api/v2/stream", "tags=AAPL,,MSFT"));
            assertEquals("invalid_tags", wholeAnswer(h.api.nextPost(WAIT), "t2", 400).path("error").asText());
            h.api.enqueue("t2b", Duration.ofSeconds(60), Events.get("/api/v2/stream", "tags=%ZZ"));
            JsonNode brokenEscape = wholeAnswer(h.api.nextPost(WAIT), "t2b", 400);
            assertEquals("invalid_query", brokenEscape.path("error").asText(), "a broken %-escape is a 400, not a crash");
            assertEquals("tags", brokenEscape.path("parameter").asText());
            h.api.enqueue("t2c", Duration.ofSeconds(60), Events.get("/api/v2/stream", "tags=AAPL&tags=MSFT"));
            JsonNode twice = wholeAnswer(h.api.nextPost(WAIT), "t2c", 400);
            assertEquals("invalid_query", twice.path("error").asText(), "a repeated parameter is not guessed at");
            assertEquals("tags", twice.path("parameter").asText());
            h.api.enqueue("t-root", Duration.ofSeconds(60), Events.get("/", ""));
            JsonNode root = wholeAnswer(h.api.nextPost(WAIT), "t-root", 200);
            assertEquals("/api/v2/stream", root.path("stream").asText(), "the SSE URL's root names the stream paths");
            h.api.enqueue("t3", Duration.ofSeconds(60), Events.get("/nope", ""));
            assertEquals("not_found", wholeAnswer(h.api.nextPost(WAIT), "t3", 404).path("error").asText());

            h.api.enqueue("t4", Duration.ofSeconds(60), Events.request("POST", "/api/v2/stream/", "", Map.of()));
            StubRuntimeApi.Recorded post = h.api.nextPost(WAIT);
            assertEquals("method_not_allowed", wholeAnswer(post, "t4", 405).path("error").asText());
            assertEquals("GET, OPTIONS", prelude(post.chunks().getFirst()).path("headers").path("Allow").asText());

            h.api.enqueue("t5", Duration.ofSeconds(60), Events.request("OPTIONS", "/api/v2/stream", "",
                    Map.of("origin", "https://app.example", "access-control-request-method", "GET")));
            StubRuntimeApi.Recorded pre = h.api.nextPost(WAIT).awaitDone(WAIT);
            JsonNode preHead = prelude(pre.chunks().getFirst());
            assertEquals(204, preHead.path("statusCode").asInt());
            assertEquals("https://app.example", preHead.path("headers").path("Access-Control-Allow-Origin").asText());

            h.api.enqueue("t6", streamFor(Duration.ofMillis(600)), Events.request("GET", "/api/v2/stream", "",
                    Map.of("last-event-id", "garbage\u0001id")));
            StubRuntimeApi.Recorded fresh = h.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals(200, prelude(fresh.chunks().getFirst()).path("statusCode").asInt());
            List<SseFrame.Event> events = eventsOnePerChunk(fresh.chunks());
            assertEquals(newest.id(), events.getFirst().id(), "a garbage id starts fresh, from the newest id");
            assertFalse(events.stream().anyMatch(e -> e.type().equals("new_item")), "nothing old is replayed");

            h.api.enqueue("t7", streamFor(Duration.ofMillis(600)),
                    Events.get("/api/v2/stream", "lastEventId=0000000000009999"));
            List<SseFrame.Event> future = eventsOnePerChunk(h.api.nextPost(WAIT).awaitDone(WAIT).chunks());
            assertEquals(newest.id(), future.getFirst().id(), "an id beyond the newest item counts as unknown");
            assertEquals("metrics", future.getFirst().type());

            h.api.enqueue("t8", streamFor(Duration.ofMillis(600)),
                    Events.get("/api/v2/stream", "lastEventId=1764000000000-000001"));
            List<SseFrame.Event> oldFormat = eventsOnePerChunk(h.api.nextPost(WAIT).awaitDone(WAIT).chunks());
            assertEquals(newest.id(), oldFormat.getFirst().id(), "an id of another format is malformed: start fresh");
        }
    }
}
