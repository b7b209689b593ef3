package dev.pulse.sse;

import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.lambda.runtime.StubRuntimeApi;
import dev.pulse.sse.app.InMemoryStore;
import dev.pulse.testing.SseFrame.Event;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.pulse.sse.RuntimeProtocolTest.FAST;
import static dev.pulse.sse.RuntimeProtocolTest.WAIT;
import static dev.pulse.sse.RuntimeProtocolTest.eventsOnePerChunk;
import static dev.pulse.sse.RuntimeProtocolTest.streamFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery guarantee through the whole function (wire, stream session, feed) with many at once: 4 writers, some
 * of whose items are numbered but not readable for a while (a commit being applied), and 4 clients, two tag-filtered,
 * streaming again and again and resuming from the {@code reconnect} event's id as EventSource does: each client in its
 * own execution environment (on-demand), and all four in one (Managed Instances: {@code AWS_LAMBDA_MAX_CONCURRENCY},
 * one feed for all). Every client gets every item of its filter exactly once, in id order. (The feed alone against
 * DynamoDB with injected faults: {@code ConcurrentDeliveryTest}.)
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConcurrentStreamsTest {

    private static final int WRITERS = 4;
    private static final int PER_WRITER = 20;
    private static final List<String> TAGS = List.of("A", "B", "C");
    private static final Duration STREAM = Duration.ofMillis(500);

    record Client(List<String> received, int connections) {
    }

    @ParameterizedTest(name = "one environment for all: {0}")
    @ValueSource(booleans = {false, true})
    void everyClientGetsEveryItemOfItsFilterOnceInOrder_acrossReconnects(boolean oneEnvironment) throws Exception {
        InMemoryStore store = new InMemoryStore();
        ExecutorService pool = Executors.newCachedThreadPool();
        List<String> filters = List.of("", "", "A", "B");
        Map<String, String> env = new HashMap<>(FAST);
        env.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(filters.size()));
        RuntimeHarness shared = oneEnvironment ? new RuntimeHarness(store, env) : null;
        try {
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<Client>> clients = new ArrayList<>();
            for (int c = 0; c < filters.size(); c++) {
                clients.add(pool.submit(client(store, shared, "c" + c, filters.get(c), writing)));
            }
            ConcurrentLinkedQueue<Item> written = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Random random = new Random(writer);
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PER_WRITER; i++) {
                        String tag = TAGS.get((writer + i) % TAGS.size());
                        if (i % 7 == 3) {   // its number taken now, readable only after others wrote past it
                            Item held = store.putHeldBack(tag, "w" + writer + " #" + i + " held");
                            Thread.sleep(150 + random.nextInt(200));
                            store.release(held);
                            written.add(held);
                        } else {
                            written.add(store.put(tag, "w" + writer + " #" + i));
                        }
                        Thread.sleep(20 + random.nextInt(60));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get();
            }
            writing.set(false);

            List<Item> all = written.stream().sorted(Comparator.comparing(Item::id)).toList();
            assertEquals(WRITERS * PER_WRITER, all.size());
            for (int c = 0; c < clients.size(); c++) {
                Client client = clients.get(c).get();
                String filter = filters.get(c);
                List<String> expected = all.stream()
                        .filter(item -> filter.isEmpty() || filter.equals(item.tag())).map(Item::id).toList();
                assertEquals(expected, client.received(), "client " + c + " [" + filter + "] over "
                        + client.connections() + " streams: each item once, in order");
                assertTrue(client.connections() >= 3, "client " + c + " reconnected: " + client.connections());
            }
        } finally {
            pool.shutdownNow();
            if (shared != null) {
                shared.close();
            }
        }
    }

    /**
     * One client, in its own execution environment or in the {@code shared} one: a stream of {@link #STREAM} at a time,
     * each resumed with {@code Last-Event-ID} from the previous one's {@code reconnect} id, until a stream that began
     * after the writers finished has ended.
     */
    private static Callable<Client> client(InMemoryStore store, RuntimeHarness shared, String name, String tags,
                                           AtomicBoolean writing) {
        return () -> {
            List<String> received = new ArrayList<>();
            String lastEventId = ItemId.ZERO;
            int connections = 0;
            try (RuntimeHarness own = shared == null ? new RuntimeHarness(store, FAST) : null) {
                RuntimeHarness h = shared == null ? own : shared;
                boolean lastRound = false;
                while (!lastRound) {
                    lastRound = !writing.get();
                    connections++;
                    String requestId = name + "-stream-" + connections;
                    h.api.enqueue(requestId, streamFor(STREAM), Events.request("GET", "/api/v2/stream",
                            tags.isEmpty() ? "" : "tags=" + tags, Map.of("last-event-id", lastEventId)));
                    StubRuntimeApi.Recorded r = h.api.awaitPost(requestId, WAIT).awaitDone(WAIT);
                    assertTrue(r.trailers.isEmpty(), () -> requestId + " ended with an error: " + r.trailers);
                    List<Event> events = eventsOnePerChunk(r.chunks());
                    for (Event e : events) {
                        assertTrue(e.id().compareTo(lastEventId) >= 0, "id " + e.id() + " after " + lastEventId);
                        if ("new_item".equals(e.type())) {
                            assertTrue(e.id().compareTo(lastEventId) > 0, "an item once: " + e.id());
                            received.add(e.id());
                        }
                        lastEventId = e.id();
                    }
                    assertEquals("reconnect", events.getLast().type(), events::toString);
                }
            }
            return new Client(received, connections);
        };
    }
}
