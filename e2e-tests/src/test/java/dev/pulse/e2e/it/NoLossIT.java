package dev.pulse.e2e.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.local.LocalPulseProcess;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.ReconnectingSseReader;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.testing.FaultyDynamoProxy.Fault;
import dev.pulse.testing.FaultyDynamoProxy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pulse.e2e.it.Api.STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery guarantee, black box: 8 writers post at once (each POST is its own execution environment), every
 * other POST a batch of 2-5 items of mixed tags, while 4 readers, two of them tag-filtered, read the stream and are
 * cut at random, resuming with {@code Last-Event-ID} as EventSource does. Every reader must receive every item of its
 * filter exactly once, with ids strictly increasing; a batch's items are stored under contiguous ids in its order, so
 * a reader gets them in that order with nothing between them. On a local stack of its own the test also has the
 * server end streams every 3 s and puts a fault proxy in front of the table: one write held 3.5 s before it reaches
 * the table, one answer held after the commit, and answers lost after a commit (the SDK resends); three of the four
 * faults hit batches.
 */
@Tag("sse")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class NoLossIT {

    private static final int WRITERS = 8;
    /** POSTs per writer: even ones a single item, odd ones a batch. */
    private static final int PER_WRITER = 8;
    private static final Duration SLOW_WRITE = Duration.ofMillis(3_500);
    private static final int SAME_KEY_SENDS = 3;

    @Test
    void concurrentWritersAndRandomlyCutReadersLoseNothing(E2eRun run) {
        Outcome outcome = new Scenario(run.client(), Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(4), 1).run();
        assertTrue(outcome.connections() >= 2 * outcome.readers().size(), "the readers were cut: " + outcome);
    }

    /**
     * Idempotency under the same load: each write is sent {@value #SAME_KEY_SENDS} times at once with one
     * {@code Idempotency-Key} (a client that retries before its first answer came). Every send gets the same item,
     * at most one of them a 201, and the cut readers see each item once: a second copy stored would be an item
     * nobody wrote. On a stack of its own whose streams end after 10 s: the cut streams' environments stay busy
     * until then, and on the suite's stack (45 s) they left the tests after this one a 429.
     */
    @Test
    void concurrentRepeatsOfEachWriteWithOneKeyAreStoredAndDeliveredOnce(E2eRun run) throws IOException {
        Assumptions.assumeTrue(run.startedLocalPulse(), "needs a local stack started by the suite (E2E_TARGET=local):"
                + " it starts a second one with SSE_MAX_STREAM_SECONDS=10");
        try (LocalPulseProcess stack = run.startAnotherLocalPulse(Map.of("SSE_MAX_STREAM_SECONDS", "10",
                "PULSE_SSE_CONCURRENCY", "32"))) {
            Outcome outcome = new Scenario(new PulseClient(stack.targets(), run.auth()), Map.of(), Duration.ofSeconds(1),
                    Duration.ofSeconds(4), SAME_KEY_SENDS).run();
            assertTrue(outcome.connections() >= 2 * outcome.readers().size(), "the readers were cut: " + outcome);
        }
    }

    /**
     * The same promise with every stream of the run in two environments of many streams each (Lambda Managed Instances:
     * one feed per environment hands items to all its streams), across streams the server ends every 3 s, cut
     * readers, a write held before its commit, an answer held after it and two answers lost.
     */
    @Test
    void alsoAcrossServerEndedStreamsASlowWriteAndLostAnswers_manyStreamsPerEnvironment(E2eRun run) throws IOException {
        Assumptions.assumeTrue(run.startedLocalPulse(), "needs a local stack started by the suite (E2E_TARGET=local):"
                + " it starts a second one with SSE_MAX_STREAM_SECONDS=3 over a table behind a fault proxy");
        try (DynamoDbEmulator table = DynamoDbEmulator.start();
             FaultyDynamoProxy faults = FaultyDynamoProxy.in(table.endpoint())
                     .add(new Fault("TransactWriteItems", "slow-write", Fault.Kind.HOLD_BEFORE, SLOW_WRITE, 1))
                     .add(new Fault("TransactWriteItems", "held-answer", Fault.Kind.HOLD_AFTER, Duration.ofSeconds(2), 1))
                     .add(new Fault("TransactWriteItems", "lost-answer", Fault.Kind.DROP_ANSWER, Duration.ZERO, 2));
             LocalPulseProcess stack = run.startAnotherLocalPulse(Map.of(
                     "SSE_MAX_STREAM_SECONDS", "3",
                     "PULSE_SSE_MAX_CONCURRENCY", "24",
                     "PULSE_SSE_CONCURRENCY", "2",
                     "PULSE_DYNAMODB_ENDPOINT", faults.endpoint().toString()))) {
            PulseClient client = new PulseClient(stack.targets(), run.auth());
            assertEquals(3, Api.json(client.get(STREAM + "/status")).path("max_stream_seconds").asInt());
            Outcome outcome = new Scenario(client, Map.of(
                    "0/2", " slow-write", "1/3", " held-answer", "2/1", " lost-answer", "3/5", " lost-answer"),
                    // cut less often than the server ends streams, so both happen
                    Duration.ofMillis(2500), Duration.ofSeconds(7), 1).run();
            assertEquals(4, faults.injected(), "every fault was injected");
            assertTrue(outcome.slowestWriteMs() >= SLOW_WRITE.toMillis(),
                    "the held write was slow: " + outcome.slowestWriteMs() + " ms");
            assertTrue(outcome.serverEnded() >= 4, "the server ended streams: " + outcome);
        }
    }

    record Outcome(List<ReaderResult> readers, int connections, int serverEnded, long slowestWriteMs) {
    }

    record ReaderResult(String filter, List<String> ids, int connections, int serverEnded, List<Integer> failed) {
    }

    /**
     * One run: readers first (each waits for its first snapshot), then the writers, then every reader reads
     * until it has what it should (or 60 s after the last write), then 1.5 s more to surface duplicates.
     *
     * @param markers text appended to writer w's POST i (a batch's last item), keyed "w/i": how a write is picked for a fault
     * @param cutMin  the shortest time a reader stays connected before it cuts the connection
     * @param sends   how many times each write is sent at once, all with one Idempotency-Key
     */
    private record Scenario(PulseClient client, Map<String, String> markers, Duration cutMin, Duration cutMax,
                            int sends) {

        Outcome run() {
            List<String> tags = List.of(E2eRun.uniqueTag(), E2eRun.uniqueTag(), E2eRun.uniqueTag());
            List<Set<String>> filters = List.of(Set.of(), Set.of(), Set.of(tags.get(0)), Set.of(tags.get(1), tags.get(2)));
            ExecutorService pool = Executors.newCachedThreadPool();
            AtomicBoolean writing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<JsonNode> written = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> writeMillis = new ConcurrentLinkedQueue<>();
            AtomicInteger itemsSent = new AtomicInteger();
            try {
                CountDownLatch readersReady = new CountDownLatch(filters.size());
                List<Future<ReaderResult>> readers = new ArrayList<>();
                for (int r = 0; r < filters.size(); r++) {
                    readers.add(pool.submit(reader(filters.get(r), Set.copyOf(tags), writing, written, readersReady,
                            new Random(r * 7919L))));
                }
                assertTrue(readersReady.await(30, TimeUnit.SECONDS), "every reader got its first snapshot");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < PER_WRITER; i++) {
                            int size = i % 2 == 0 ? 1 : 2 + (writer + i) % 4;
                            ArrayNode batch = Api.JSON.createArrayNode();
                            for (int k = 0; k < size; k++) {
                                String text = "writer " + writer + " post " + i + " item " + k
                                        + (k == size - 1 ? markers.getOrDefault(writer + "/" + i, "") : "");
                                batch.add(Api.item(tags.get((writer + i + k) % 3), "neutral", 0.5, text));
                            }
                            itemsSent.addAndGet(size);
                            long began = System.nanoTime();
                            written.addAll(write(size == 1 ? batch.get(0) : batch, pool));
                            writeMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> writer : writers) {
                    writer.get(120, TimeUnit.SECONDS);
                }
                writing.set(false);
                int items = itemsSent.get();
                List<String> all = written.stream().map(item -> item.path("id").asText()).sorted().toList();
                assertEquals(items, new HashSet<>(all).size(), "one item per item written, retries included");
                JsonNode byTag = Api.json(client.get("/api/v2/metrics")).path("by_tag");
                assertEquals(items, tags.stream().mapToLong(t -> byTag.path(t).asLong()).sum(),
                        () -> "the run's tags count each item once: " + byTag);

                List<ReaderResult> results = new ArrayList<>();
                int connections = 0;
                int serverEnded = 0;
                for (int r = 0; r < readers.size(); r++) {
                    ReaderResult result = readers.get(r).get(120, TimeUnit.SECONDS);
                    Set<String> filter = filters.get(r);
                    List<String> expected = written.stream()
                            .filter(item -> filter.isEmpty() || filter.contains(item.path("tag").asText()))
                            .map(item -> item.path("id").asText()).sorted().toList();
                    assertExactlyOnceInOrder(expected, result);
                    assertEquals(List.of(), result.failed(), "every reconnect of reader " + r + " was accepted");
                    results.add(result);
                    connections += result.connections();
                    serverEnded += result.serverEnded();
                }
                return new Outcome(results, connections, serverEnded, Collections.max(writeMillis));
            } catch (Exception e) {
                throw new AssertionError("the scenario did not complete: " + e, e);
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }
        }

        /**
         * Sends one item (an object) or a batch (an array) {@code sends} times at once with one key, each send retried
         * as a client does; returns the stored items, which every send must have got back: a batch's in its order,
         * under contiguous ids.
         */
        private List<JsonNode> write(JsonNode body, ExecutorService pool) throws Exception {
            String key = UUID.randomUUID().toString();
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int s = 0; s < sends; s++) {
                sent.add(pool.submit(() -> Api.sendRetrying(client, body, key, Duration.ofSeconds(60))));
            }
            List<Integer> statuses = new ArrayList<>();
            Set<JsonNode> stored = new HashSet<>();
            for (Future<HttpResponse<String>> answer : sent) {
                HttpResponse<String> r = answer.get(120, TimeUnit.SECONDS);
                statuses.add(r.statusCode());
                stored.add(Api.json(r));
            }
            assertEquals(1, stored.size(), () -> "every send of key " + key + " got the same answer: " + stored);
            assertTrue(statuses.stream().filter(s -> s == 201).count() <= 1, () -> "one write stored it: " + statuses);
            JsonNode answer = stored.iterator().next();
            if (!body.isArray()) {
                return List.of(answer);
            }
            List<JsonNode> items = new ArrayList<>();
            answer.path("items").forEach(items::add);
            assertEquals(body.size(), items.size(), () -> "the whole batch: " + answer);
            long first = Long.parseLong(items.getFirst().path("id").asText());
            for (int k = 0; k < items.size(); k++) {
                assertEquals(first + k, Long.parseLong(items.get(k).path("id").asText()), "contiguous ids: " + answer);
                assertEquals(body.get(k).path("text").asText(), items.get(k).path("text").asText(), "in the batch's order");
            }
            return items;
        }

        private static void assertExactlyOnceInOrder(List<String> expected, ReaderResult result) {
            Set<String> missing = new HashSet<>(expected);
            result.ids().forEach(missing::remove);
            List<String> duplicates = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String id : result.ids()) {
                if (!seen.add(id)) {
                    duplicates.add(id);
                }
            }
            String who = "reader " + result.filter() + " over " + result.connections() + " connections";
            assertEquals(Set.of(), missing, who + ": lost items");
            assertEquals(List.of(), duplicates, who + ": duplicated items");
            for (int i = 1; i < result.ids().size(); i++) {
                assertTrue(result.ids().get(i - 1).compareTo(result.ids().get(i)) < 0,
                        who + ": ids go forward, got " + result.ids().get(i) + " after " + result.ids().get(i - 1));
            }
            assertEquals(expected, result.ids(), who);
        }

        /**
         * Reads the stream, cutting the connection after a random time between cutMin and cutMax, and keeps the new_item ids of the run's tags.
         * Done when every written item of its filter arrived after the writers finished, plus 1.5 s.
         */
        private Callable<ReaderResult> reader(Set<String> filter, Set<String> runTags, AtomicBoolean writing,
                                              ConcurrentLinkedQueue<JsonNode> written, CountDownLatch ready,
                                              Random random) {
            return () -> {
                String path = filter.isEmpty() ? STREAM : STREAM + "?tags=" + String.join(",", new java.util.TreeSet<>(filter));
                List<String> ids = new ArrayList<>();
                int serverEnded = 0;
                try (ReconnectingSseReader reader = new ReconnectingSseReader(client, path, "", Duration.ofMillis(100)).start()) {
                    awaitSnapshot(reader);
                    ready.countDown();
                    long nextCut = System.nanoTime() + cutGap(random);
                    long doneBy = Long.MAX_VALUE;
                    while (System.nanoTime() < doneBy) {
                        if (!writing.get() && doneBy == Long.MAX_VALUE) {
                            doneBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        }
                        if (!writing.get() && ids.size() >= expectedCount(written, filter)) {
                            doneBy = Math.min(doneBy, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500));
                        }
                        if (writing.get() && System.nanoTime() > nextCut) {
                            reader.dropConnection();
                            nextCut = System.nanoTime() + cutGap(random);
                        }
                        Optional<Received> r = reader.next(Duration.ofMillis(50));
                        if (r.isEmpty()) {
                            continue;
                        }
                        JsonNode item = Api.data(r.get(), "new_item");
                        if (item != null && runTags.contains(item.path("tag").asText())) {
                            ids.add(item.path("id").asText());
                        }
                        if (r.get().event("reconnect") != null) {
                            serverEnded++;
                        }
                    }
                    return new ReaderResult(filter.toString(), ids, reader.connections(), serverEnded,
                            reader.failedStatuses());
                }
            };
        }

        private static long expectedCount(ConcurrentLinkedQueue<JsonNode> written, Set<String> filter) {
            return written.stream().filter(item -> filter.isEmpty() || filter.contains(item.path("tag").asText())).count();
        }

        private long cutGap(Random random) {
            return cutMin.toNanos() + (long) (random.nextDouble() * (cutMax.toNanos() - cutMin.toNanos()));
        }

        private static void awaitSnapshot(ReconnectingSseReader reader) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                Optional<Received> r = reader.next(Duration.ofMillis(200));
                if (r.isPresent() && r.get().event("metrics") != null) {
                    return;
                }
            }
            throw new AssertionError("no metrics snapshot within 20 s; failed statuses " + reader.failedStatuses());
        }
    }
}
