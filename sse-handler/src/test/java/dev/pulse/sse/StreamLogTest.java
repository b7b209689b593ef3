package dev.pulse.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;
import dev.pulse.core.StoreUnavailableException;
import dev.pulse.lambda.runtime.StubRuntimeApi;
import dev.pulse.sse.app.InMemoryStore;
import dev.pulse.testing.EmfDocument;
import dev.pulse.testing.SseFrame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pulse.sse.RuntimeProtocolTest.FAST;
import static dev.pulse.sse.RuntimeProtocolTest.WAIT;
import static dev.pulse.sse.RuntimeProtocolTest.asEvent;
import static dev.pulse.sse.RuntimeProtocolTest.oneEventPerChunk;
import static dev.pulse.sse.RuntimeProtocolTest.streamFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSE function's log lines (docs/operations.md), from the real runtime against the test Runtime API: a start and
 * an end line per stream whose counters are what went on the wire, each end reason, a request line per whole answer,
 * metrics that are valid Embedded Metric Format documents, and never an item's text.
 */
class StreamLogTest {

    private static final String SECRET_TEXT = "item text that must never reach a log";

    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(FAST);
        env.put("PULSE_ENVIRONMENT", "test");
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static JsonNode line(RuntimeHarness h, String requestId, String event) throws InterruptedException {
        return h.awaitLogLine(l -> requestId.equals(l.path("requestId").asText()) && event.equals(l.path("event").asText()));
    }

    private static void assertValidMetrics(JsonNode line) {
        assertTrue(EmfDocument.isEmf(line), () -> "a metric line: " + line);
        assertEquals(List.of(), EmfDocument.problems(line), line::toString);
    }

    @Test
    void aStreamHasAStartAndAnEndLineWhoseCountersAreWhatWentOnTheWire() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.put("AAPL", SECRET_TEXT);   // before the stream: counted in its snapshot, never sent
        try (RuntimeHarness h = new RuntimeHarness(store, env("SSE_MAX_STREAM_SECONDS", "3"))) {
            h.api.enqueue("req-a", Duration.ofSeconds(60), Events.get("/api/v2/stream", "tags=AAPL,MSFT"));
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT);
            r.awaitChunk(2, WAIT);
            store.put("AAPL", SECRET_TEXT);
            Thread.sleep(1200);   // a heartbeat between the two items
            store.put("MSFT", SECRET_TEXT);
            r.awaitDone(WAIT);

            List<SseFrame> wire = oneEventPerChunk(r.chunks());
            long events = wire.stream().filter(e -> e instanceof SseFrame.Event).count();
            long items = wire.stream().filter(e -> e.isEvent("new_item")).count();
            long heartbeats = wire.stream().filter(SseFrame::isHeartbeat).count();
            SseFrame.Event reconnect = asEvent(wire.getLast());
            assertEquals(2, items);
            assertTrue(heartbeats >= 1, wire::toString);

            JsonNode start = line(h, "req-a", "stream_start");
            assertEquals("INFO", start.path("level").asText());
            assertEquals("sse", start.path("function").asText());
            assertEquals("test", start.path("environment").asText());
            assertEquals("GET", start.path("method").asText());
            assertEquals("/api/v2/stream", start.path("path").asText());
            assertEquals(200, start.path("status").asInt());
            assertEquals("fresh", start.path("start").asText());
            assertEquals("max_stream", start.path("planned_end").asText());
            assertTrue(start.path("tags").asText().contains("AAPL"), start::toString);
            assertValidMetrics(start);
            assertEquals(1, start.path("StreamsStarted").asInt());

            JsonNode end = line(h, "req-a", "stream_end");
            assertEquals("INFO", end.path("level").asText());
            assertEquals("max_stream", end.path("reason").asText(), "the wire's max_duration, named after its setting");
            assertEquals("max_duration", Json.parse(reconnect.data())
                    .path("reason").asText(), "the reconnect event keeps its wire name");
            assertEquals(events, end.path("events_sent").asLong(), () -> "events on the wire: " + wire + "\n" + end);
            assertEquals(items, end.path("items_sent").asLong());
            assertEquals(heartbeats, end.path("heartbeats").asLong());
            assertEquals(0, end.path("poll_failures").asLong());
            assertEquals(reconnect.id(), end.path("last_event_id").asText(), "the id the client resumes from");
            long duration = end.path("duration_ms").asLong();
            assertTrue(duration >= 2900 && duration < 6000, "about SSE_MAX_STREAM_SECONDS: " + duration);

            assertValidMetrics(end);
            assertEquals(1, end.path("StreamsEnded").asInt());
            assertEquals(duration, end.path("StreamDuration").asLong());
            assertEquals(events, end.path("EventsDelivered").asLong(), "no progress line in between: all in this window");
            assertEquals(2, end.path("ItemsDelivered").asLong());
            assertEquals(2, end.path("DeliveryLag").size(), () -> "one lag sample per live item: " + end);
            end.path("DeliveryLag").forEach(lag -> assertTrue(lag.asLong() >= 0 && lag.asLong() < 2000, end::toString));
            assertTrue(end.path("PollLatency").isArray() && end.path("PollLatency").size() > 5, end::toString);
            JsonNode byReason = end.path("_aws").path("CloudWatchMetrics").get(0);
            assertEquals("[[\"function\",\"environment\",\"reason\"]]", byReason.path("Dimensions").toString());

            assertTrue(h.logLines.stream().noneMatch(l -> l.contains(SECRET_TEXT)), "no item text in any line");
        }
    }

    @Test
    void theDeadlineEndAndAResumeAreNamed() throws Exception {
        InMemoryStore store = new InMemoryStore();
        String first = store.put("AAPL", "one").id();
        store.put("AAPL", "two");
        try (RuntimeHarness h = new RuntimeHarness(store, env())) {
            h.api.enqueue("req-d", streamFor(Duration.ofMillis(800)), Events.request("GET", "/api/v2/stream", "",
                    Map.of("last-event-id", first)));
            h.api.nextPost(WAIT).awaitDone(WAIT);
            JsonNode start = line(h, "req-d", "stream_start");
            assertEquals("resume", start.path("start").asText());
            assertEquals(first, start.path("resumed_from").asText());
            assertEquals("deadline", start.path("planned_end").asText());
            JsonNode end = line(h, "req-d", "stream_end");
            assertEquals("deadline", end.path("reason").asText());
            assertEquals(first, end.path("resumed_from").asText());
            assertEquals(1, end.path("items_sent").asLong(), "the replayed item");
            assertFalse(end.has("DeliveryLag"), "a replayed item is not live: no lag sample");
            assertValidMetrics(end);

            h.api.enqueue("req-g", streamFor(Duration.ofMillis(300)), Events.request("GET", "/api/v2/stream", "",
                    Map.of("last-event-id", "not-an-id")));
            h.api.nextPost(WAIT).awaitDone(WAIT);
            JsonNode ignored = line(h, "req-g", "stream_start");
            assertEquals("fresh", ignored.path("start").asText());
            assertTrue(ignored.path("resume_ignored").asBoolean(), ignored::toString);
        }
    }

    @Test
    void aStreamThatFailsEndsWithReasonErrorAndTheRuntimeLogsTheFailure() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.pollReadFailure = call -> call == 2 ? new IllegalStateException("poll exploded") : null;
        try (RuntimeHarness h = new RuntimeHarness(store, env())) {
            h.api.enqueue("req-e", Duration.ofSeconds(60), Events.get("/api/v2/stream", ""));
            h.api.nextPost(WAIT).awaitDone(WAIT);
            JsonNode end = line(h, "req-e", "stream_end");
            assertEquals("ERROR", end.path("level").asText());
            assertEquals("error", end.path("reason").asText());
            assertTrue(end.path("error").asText().contains("poll exploded"), end::toString);
            assertValidMetrics(end);
            JsonNode failed = line(h, "req-e", "invocation_failed");
            assertEquals("ERROR", failed.path("level").asText());
            assertTrue(failed.path("stack").asText().contains("at dev.pulse"), "the stack, in one line's field");
        }
    }

    @Test
    void aBrokenResponseConnectionEndsWithReasonClientGone() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (RuntimeHarness h = new RuntimeHarness(store, env())) {
            h.api.enqueue("req-c", Duration.ofSeconds(60), Events.get("/api/v2/stream", ""));
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT);
            r.awaitChunk(2, WAIT);
            r.cut();   // the next heartbeat's write fails
            JsonNode end = line(h, "req-c", "stream_end");
            assertEquals("client_gone", end.path("reason").asText());
            assertEquals("WARN", end.path("level").asText());
            assertValidMetrics(end);
            assertEquals("WARN", line(h, "req-c", "response_failed").path("level").asText());
        }
    }

    @Test
    void pollFailuresAreCountedOnEveryStreamTheyHeldUp_andEachIsOneWarningOfTheEnvironment() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.pollReadFailure = call -> call >= 2 && call <= 3 ? new StoreUnavailableException("throttled", null) : null;
        try (RuntimeHarness h = new RuntimeHarness(store, env())) {
            h.api.enqueue("req-p", streamFor(Duration.ofMillis(1500)), Events.get("/api/v2/stream", ""));
            h.api.nextPost(WAIT).awaitDone(WAIT);
            JsonNode end = line(h, "req-p", "stream_end");
            assertEquals(2, end.path("poll_failures").asLong(), end::toString);
            assertEquals(2, end.path("PollFailures").asLong());
            // One feed reads for every stream of the environment: its failures are the environment's lines, one each.
            assertEquals(2, h.logJson().stream().filter(l -> l.path("requestId").isMissingNode()
                    && "WARN".equals(l.path("level").asText()) && l.path("message").asText().contains("poll failed")).count());
        }
    }

    @Test
    void eachWholeAnswerHasOneRequestLineAndAClientErrorCountsByCode() throws Exception {
        try (RuntimeHarness h = new RuntimeHarness(new InMemoryStore(), env())) {
            h.api.enqueue("req-s", Duration.ofSeconds(60), Events.get("/api/v2/stream/status", ""));
            h.api.enqueue("req-404", Duration.ofSeconds(60), Events.get("/nowhere", ""));
            h.api.enqueue("req-400", Duration.ofSeconds(60), Events.get("/api/v2/stream", "tags=not%20a%20tag!"));
            for (int i = 0; i < 3; i++) {
                h.api.nextPost(WAIT).awaitDone(WAIT);
            }
            JsonNode status = line(h, "req-s", "request");
            assertEquals(200, status.path("status").asInt());
            assertEquals("/api/v2/stream/status", status.path("path").asText());
            assertTrue(status.path("duration_ms").isNumber());
            assertFalse(EmfDocument.isEmf(status));

            JsonNode notFound = line(h, "req-404", "request");
            assertEquals("not_found", notFound.path("error_code").asText());
            assertValidMetrics(notFound);
            assertEquals(1, notFound.path("ClientErrors").asInt());
            JsonNode badTags = line(h, "req-400", "request");
            assertEquals(400, badTags.path("status").asInt());
            assertEquals("invalid_tags", badTags.path("error_code").asText());
            assertFalse(badTags.toString().contains("not a tag"), "the query is not logged: " + badTags);
            assertEquals(3, h.logJson().stream().filter(l -> l.path("requestId").asText().startsWith("req-")).count(),
                    "one line per request: " + h.logLines);
        }
    }

    @Test
    void linesBelowTheFunctionsLevelAreNotWrittenAndDebugAddsTheBatches() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (RuntimeHarness h = new RuntimeHarness(store, env("AWS_LAMBDA_LOG_LEVEL", "WARN"))) {
            h.api.enqueue("req-q", Duration.ofSeconds(60), Events.get("/api/v2/stream/status", ""));
            h.api.nextPost(WAIT).awaitDone(WAIT);
            h.api.enqueue("req-q2", Duration.ofSeconds(60), Events.get("/nowhere", ""));
            h.api.nextPost(WAIT).awaitDone(WAIT);
            Thread.sleep(200);
            assertEquals(List.of(), h.logLines, "INFO lines are dropped at WARN");
        }
        try (RuntimeHarness h = new RuntimeHarness(store, env("AWS_LAMBDA_LOG_LEVEL", "DEBUG"))) {
            h.api.enqueue("req-b", streamFor(Duration.ofMillis(1500)), Events.get("/api/v2/stream", ""));
            StubRuntimeApi.Recorded r = h.api.nextPost(WAIT);
            r.awaitChunk(2, WAIT);
            store.put("AAPL", SECRET_TEXT);
            r.awaitDone(WAIT);
            JsonNode batch = line(h, "req-b", "items_sent");
            assertEquals("DEBUG", batch.path("level").asText());
            assertEquals(1, batch.path("count").asInt());
            assertTrue(h.logLines.stream().noneMatch(l -> l.contains(SECRET_TEXT)));
        }
    }
}
