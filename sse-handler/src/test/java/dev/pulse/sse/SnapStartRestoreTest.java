package dev.pulse.sse;

import dev.pulse.core.Json;
import dev.pulse.core.StoreUnavailableException;
import dev.pulse.lambda.runtime.StubRuntimeApi;
import dev.pulse.sse.app.InMemoryStore;
import dev.pulse.testing.SseFrame.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pulse.sse.RuntimeProtocolTest.FAST;
import static dev.pulse.sse.RuntimeProtocolTest.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSE function started as SnapStart restores it ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}): init, the
 * restore handshake, then its after-restore hook reaches the table (a fresh connection and credentials) before the
 * runtime asks for the first invocation, and a table that does not answer then does not fail the restore.
 */
class SnapStartRestoreTest {

    private static Map<String, String> snapStart() {
        Map<String, String> env = new HashMap<>(FAST);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        return env;
    }

    @Test
    void afterTheRestore_theTableIsReachedOnce_beforeTheFirstNext_andTheFirstStreamServes() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (RuntimeHarness h = new RuntimeHarness(store, snapStart())) {
            awaitRestoreCall(h.api);
            int pingsAtSnapshot = store.pings.get();
            Thread.sleep(200);
            assertEquals(0, h.api.nextCalls(), "no work before the restore");
            assertEquals(pingsAtSnapshot, store.pings.get(), "the hook waits for the restore");

            h.api.restore();
            h.api.awaitWaitingNext(1, WAIT);
            assertEquals(pingsAtSnapshot + 1, store.pings.get(), "one read of the table after the restore, before /next");
            assertTrue(h.awaitLogLine(l -> l.path("message").asText().startsWith("restored from a snapshot; the table answered in"))
                    .path("level").asText().equals("INFO"));

            store.put("T", "after the restore");
            int countersReadsBefore = store.metricsReads.get();
            h.api.enqueue("req-1", RuntimeProtocolTest.streamFor(Duration.ofMillis(300)), Events.get("/api/v2/stream", ""));
            List<Event> events = RuntimeProtocolTest.eventsOnePerChunk(h.api.nextPost(WAIT).awaitDone(WAIT).chunks());
            assertTrue(store.metricsReads.get() > countersReadsBefore, "the stream read its counters after the restore");
            Event metrics = events.stream().filter(e -> e.type().equals("metrics")).findFirst().orElseThrow();
            assertEquals(1, Json.parse(metrics.data()).path("total").asInt(), metrics.data());
        }
    }

    @Test
    void aTableThatDoesNotAnswerAfterTheRestore_isAWarning_andTheEnvironmentServes() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (RuntimeHarness h = new RuntimeHarness(store, snapStart())) {
            awaitRestoreCall(h.api);
            store.pingFailure = new StoreUnavailableException("table memory cannot be reached: connection refused", null);
            h.api.restore();
            h.api.awaitWaitingNext(1, WAIT);
            assertTrue(h.awaitLogLine(l -> l.path("message").asText().contains("the table did not answer: table memory cannot be reached"))
                    .path("level").asText().equals("WARN"));
            store.pingFailure = null;

            h.api.enqueue("req-1", Duration.ofSeconds(30), Events.get("/api/v2/stream/status", ""));
            StubRuntimeApi.Recorded post = h.api.nextPost(WAIT).awaitDone(WAIT);
            assertTrue(post.path.endsWith("/invocation/req-1/response"), "not a restore error: " + post.path);
        }
    }

    private static void awaitRestoreCall(StubRuntimeApi api) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (api.restoreCalls() == 0 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(1, api.restoreCalls(), "init ends with GET /restore/next");
    }
}
