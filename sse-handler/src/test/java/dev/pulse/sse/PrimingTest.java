package dev.pulse.sse;

import dev.pulse.sse.app.InMemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.pulse.sse.RuntimeProtocolTest.FAST;
import static dev.pulse.sse.RuntimeProtocolTest.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Init does the first request's work (its DynamoDB calls, its classes, its JSON) before the runtime asks for work, and
 * answers no client, writes no line and leaves no thread behind doing it; {@code PULSE_PRIMING=off} leaves all of that
 * to the first request.
 */
class PrimingTest {

    @Test
    void initReadsTheTableAndRunsTheStreamPath_beforeTheFirstNext_answeringNobody() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (RuntimeHarness h = new RuntimeHarness(store, FAST)) {
            h.api.awaitWaitingNext(1, WAIT);
            assertTrue(store.metricsReads.get() >= 1, "the counters were read in init");
            assertTrue(store.headReads.get() >= 1, "so was the head (health's ping or the feed's round)");
            assertEquals(0, h.api.recorded().size(), "no client was answered");
            assertEquals(0, h.logLines.size(), "priming writes no line: " + h.logLines);
            Thread.sleep(300);
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("sse-feed")),
                    "the synthetic stream's feed stopped with it");
        }
    }

    @Test
    void offLeavesTheFirstCallsToTheFirstRequest() throws Exception {
        InMemoryStore store = new InMemoryStore();
        Map<String, String> env = new HashMap<>(FAST);
        env.put("PULSE_PRIMING", "off");
        try (RuntimeHarness h = new RuntimeHarness(store, env)) {
            h.api.awaitWaitingNext(1, WAIT);
            assertEquals(0, store.metricsReads.get() + store.headReads.get() + store.rangeReads.get());
            h.api.enqueue("req-1", RuntimeProtocolTest.streamFor(Duration.ofMillis(200)), Events.get("/api/v2/stream", ""));
            h.api.nextPost(WAIT).awaitDone(WAIT);
            assertTrue(store.metricsReads.get() >= 1, "the first request read the counters itself");
        }
    }
}
