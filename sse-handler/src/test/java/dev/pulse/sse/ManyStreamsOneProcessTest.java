package dev.pulse.sse;

import dev.pulse.core.Item;
import dev.pulse.core.Json;
import dev.pulse.lambda.runtime.StubRuntimeApi;
import dev.pulse.sse.app.InMemoryStore;
import dev.pulse.testing.SseFrame.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pulse.sse.RuntimeProtocolTest.FAST;
import static dev.pulse.sse.RuntimeProtocolTest.WAIT;
import static dev.pulse.sse.RuntimeProtocolTest.eventsOnePerChunk;
import static dev.pulse.sse.RuntimeProtocolTest.streamFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSE artifact's main under a Runtime API that allows six invocations at once, as Lambda Managed Instances sets
 * {@code AWS_LAMBDA_MAX_CONCURRENCY}: six streams are open side by side in one process, each gets the items of its
 * filter, each response carries its own invocation id back, and each ends itself before its own deadline (Managed
 * Instances do not stop an invocation at its timeout).
 */
class ManyStreamsOneProcessTest {

    static final int STREAMS = 6;

    @Test
    void sixStreamsAtOnceInOneProcess_eachWithItsItemsAndItsInvocationId() throws Exception {
        InMemoryStore store = new InMemoryStore();
        Map<String, String> env = new HashMap<>(FAST);
        env.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(STREAMS));
        try (RuntimeHarness h = new RuntimeHarness(store, env)) {
            h.api.awaitWaitingNext(STREAMS, WAIT);
            for (int i = 0; i < STREAMS; i++) {
                h.api.enqueue("stream-" + i, streamFor(Duration.ofSeconds(3)),
                        Events.get("/api/v2/stream", i % 2 == 0 ? "" : "tags=AAPL"));
            }
            Map<String, StubRuntimeApi.Recorded> streams = new HashMap<>();
            for (int i = 0; i < STREAMS; i++) {
                StubRuntimeApi.Recorded r = h.api.nextPost(WAIT);
                streams.put(r.path.split("/")[4], r);
            }
            for (StubRuntimeApi.Recorded r : streams.values()) {
                r.awaitChunk(2, WAIT);   // prelude, retry, snapshot: every stream is open
            }
            List<Item> written = new ArrayList<>();
            written.add(store.put("AAPL", "one"));
            written.add(store.put("MSFT", "two"));
            written.add(store.put("AAPL", "three"));
            for (StubRuntimeApi.Recorded r : streams.values()) {
                assertFalse(r.done.isDone(), "all six are open at once");
            }
            for (int i = 0; i < STREAMS; i++) {
                String requestId = "stream-" + i;
                StubRuntimeApi.Recorded r = streams.get(requestId).awaitDone(WAIT);
                assertEquals("inv-" + requestId, r.header("Lambda-Runtime-Invocation-Id"));
                List<Event> events = eventsOnePerChunk(r.chunks());
                List<String> items = events.stream().filter(e -> "new_item".equals(e.type())).map(Event::id).toList();
                boolean unfiltered = i % 2 == 0;
                List<String> expected = written.stream().filter(item -> unfiltered || item.tag().equals("AAPL"))
                        .map(Item::id).toList();
                assertEquals(expected, items, requestId);
                assertEquals("reconnect", events.getLast().type());
            }
        }
    }

    @Test
    void everyStreamEndsItselfBeforeItsOwnDeadline_withAReconnect() throws Exception {
        Map<String, String> env = new HashMap<>(FAST);
        env.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(STREAMS));
        try (RuntimeHarness h = new RuntimeHarness(new InMemoryStore(), env)) {
            h.api.awaitWaitingNext(STREAMS, WAIT);
            Map<String, Long> deadlines = new HashMap<>();
            for (int i = 0; i < STREAMS; i++) {
                long deadline = System.currentTimeMillis() + streamFor(Duration.ofMillis(600L * (i + 1))).toMillis();
                deadlines.put("ends-" + i, deadline);
                h.api.enqueue(new StubRuntimeApi.Invocation("ends-" + i, "inv-ends-" + i, deadline, null,
                        Events.get("/api/v2/stream", "")));
            }
            for (int i = 0; i < STREAMS; i++) {
                String requestId = "ends-" + i;
                StubRuntimeApi.Recorded r = h.api.awaitPost(requestId, WAIT).awaitDone(WAIT);
                long endedAt = System.currentTimeMillis();
                List<Event> events = eventsOnePerChunk(r.chunks());
                Event reconnect = events.getLast();
                assertEquals("reconnect", reconnect.type(), requestId);
                assertEquals("deadline", Json.parse(reconnect.data()).path("reason").asText(), requestId);
                assertTrue(endedAt < deadlines.get(requestId), requestId + " ended before its deadline");
            }
        }
    }
}
