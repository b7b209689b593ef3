package dev.pulse.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.Item;
import dev.pulse.core.Json;
import dev.pulse.core.NewItem;
import dev.pulse.core.PulseTable;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.lambda.runtime.StubRuntimeApi;
import dev.pulse.testing.SseFrame.Event;
import dev.pulse.testing.TestDynamo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resume across invocations against the DynamoDB emulator (moto): what a client misses between two
 * streams comes back from a table query, in order, exactly once.
 */
class StreamResumeTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static DynamoDbClient client;
    static DynamoItemStore store;

    @BeforeAll
    static void startTable() {
        client = TestDynamo.client(DynamoDbEmulator.shared());
        PulseTable.create(client, "pulse-sse-resume");
        store = new DynamoItemStore(client, "pulse-sse-resume");
    }

    @AfterAll
    static void stopTable() {
        if (client != null) {
            client.close();
        }
    }

    static Item put(String tag, String text) {
        return store.put(new NewItem(tag, "neutral", 0.5, text, "resume-test"));
    }

    static int indexOfItem(List<Event> events, String id) {
        for (int i = 0; i < events.size(); i++) {
            if ("new_item".equals(events.get(i).type()) && id.equals(events.get(i).id())) {
                return i;
            }
        }
        throw new AssertionError("no new_item " + id + " in " + events);
    }

    static List<Event> events(StubRuntimeApi.Recorded r) {
        return RuntimeProtocolTest.eventsOnePerChunk(r.chunks());
    }

    static List<String> newItemIds(List<Event> events) {
        return events.stream().filter(e -> "new_item".equals(e.type())).map(Event::id).toList();
    }

    static void assertIdsNeverGoBack(List<Event> events) {
        String last = "";
        for (Event e : events) {
            if (e.id() != null) {
                assertTrue(e.id().compareTo(last) >= 0, "id " + e.id() + " after " + last + ": " + events);
                last = e.id();
            }
        }
    }

    static String reconnectId(List<Event> events) throws Exception {
        Event last = events.getLast();
        assertEquals("reconnect", last.type());
        JsonNode data = Json.parse(last.data());
        assertEquals(last.id(), data.path("last_event_id").asText());
        return last.id();
    }

    @Test
    void aSecondInvocationWithLastEventIdGetsExactlyTheMissingItemsInOrder() throws Exception {
        put("AAPL", "before 1");
        Item a2 = put("MSFT", "before 2");
        Map<String, String> env = Map.of("SSE_HEARTBEAT_INTERVAL_SECONDS", "1", "SSE_POLL_INTERVAL_MS", "150");
        try (RuntimeHarness h = new RuntimeHarness(store, env)) {
            // 1: a fresh stream sees only what is written while it is open
            h.api.enqueue("inv-1", RuntimeProtocolTest.streamFor(Duration.ofMillis(2500)), Events.get("/api/v2/stream", ""));
            StubRuntimeApi.Recorded first = h.api.nextPost(WAIT);
            first.awaitChunk(2, WAIT);
            Item b1 = put("AAPL", "during 1");
            Item b2 = put("MSFT", "during 2");
            Thread.sleep(300);
            Item b3 = put("AAPL", "during 3");
            List<Event> one = events(first.awaitDone(WAIT));
            assertEquals(a2.id(), one.getFirst().id(), "snapshot id: the newest item at start");
            assertIdsNeverGoBack(one);
            assertEquals(List.of(b1.id(), b2.id(), b3.id()), newItemIds(one));
            String resumeFrom = reconnectId(one);
            assertEquals(b3.id(), resumeFrom);

            // between the streams: missed
            Item c1 = put("MSFT", "missed 1");
            Item c2 = put("AAPL", "missed 2");

            // 2: Last-Event-ID header: the missed items first, in order, then live ones; nothing twice
            h.api.enqueue("inv-2", RuntimeProtocolTest.streamFor(Duration.ofMillis(2000)),
                    Events.request("GET", "/api/v2/stream", "", Map.of("last-event-id", resumeFrom)));
            StubRuntimeApi.Recorded second = h.api.nextPost(WAIT);
            second.awaitChunk(2, WAIT);
            Thread.sleep(400);
            Item d1 = put("MSFT", "live after resume");
            List<Event> two = events(second.awaitDone(WAIT));
            assertEquals(List.of(c1.id(), c2.id(), d1.id()), newItemIds(two));
            // Counters come after the items they count (ids never go back, checked below), and the ones given before
            // the live item count the missed ones: 2 before, 3 during, 2 missed.
            Event countersBeforeLive = two.subList(0, indexOfItem(two, d1.id())).stream()
                    .filter(e -> "metrics".equals(e.type())).reduce((earlier, later) -> later).orElseThrow();
            assertEquals(c2.id(), countersBeforeLive.id(), "the counters' id is the newest item they count");
            assertEquals(7, Json.parse(countersBeforeLive.data()).path("total").asInt());
            assertTrue(indexOfItem(two, c2.id()) < two.indexOf(countersBeforeLive), "the missed items first");
            assertIdsNeverGoBack(two);
            assertEquals(d1.id(), reconnectId(two));

            // 3: ?lastEventId= with a tag filter, from further back
            h.api.enqueue("inv-3", RuntimeProtocolTest.streamFor(Duration.ofMillis(1200)),
                    Events.get("/api/v2/stream", "tags=MSFT&lastEventId=" + b1.id()));
            List<Event> three = events(h.api.nextPost(WAIT).awaitDone(WAIT));
            assertEquals(List.of(b2.id(), c1.id(), d1.id()), newItemIds(three));
            assertIdsNeverGoBack(three);
        }
    }
}
