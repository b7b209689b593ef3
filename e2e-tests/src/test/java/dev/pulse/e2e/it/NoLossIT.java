package dev.pulse.e2e.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.local.LocalStack;
import dev.pulse.e2e.sse.ReconnectingSseReader;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseFrame;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.pulse.e2e.it.Api.STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No loss across reconnects: items are written steadily while the reader's connection is cut
 * (by the client at random points, and by the server ending streams with {@code event: reconnect});
 * every item must arrive exactly once, in order. Each test filters on its own tag, so other writers
 * to the same table cannot interfere.
 */
@Tag("sse")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class NoLossIT {

    private static final int ITEMS = 30;
    private static final long WRITE_GAP_MS = 250;
    /**
     * Each cut leaves a stream running on the server until it ends (the function cannot see the
     * client go), holding one environment: a handful of cuts proves resume without draining the
     * SSE function's concurrency.
     */
    private static final int MAX_CUTS = 5;

    /** Writes {@code ITEMS} items of {@code tag}, one every {@code WRITE_GAP_MS}; returns their ids in order. */
    private static CompletableFuture<List<String>> writeSteadily(PulseClient client, String tag) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                ids.add(Api.post(client, tag, "steady " + i).path("id").asText());
                sleep(WRITE_GAP_MS);
            }
            return ids;
        });
    }

    /** Result of reading: the new_item ids of the tag in arrival order, and the reconnect events seen. */
    record Read(List<String> ids, List<SseFrame.Event> reconnects) {
    }

    /**
     * Reads until every written id arrived (or a deadline after the writer is done), cutting the
     * connection at random points meanwhile when {@code cut} is true.
     */
    private static Read read(ReconnectingSseReader reader, String tag, CompletableFuture<List<String>> writer,
                             boolean cut) {
        Random random = new Random();
        List<String> ids = new ArrayList<>();
        List<SseFrame.Event> reconnects = new ArrayList<>();
        long nextCut = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1200));
        long deadline = Long.MAX_VALUE;
        int cuts = 0;
        while (System.nanoTime() < deadline) {
            if (writer.isDone()) {
                List<String> written = writer.join();
                if (deadline == Long.MAX_VALUE) {
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                }
                if (ids.size() >= written.size() && ids.containsAll(written)) {
                    // Everything arrived; a short extra wait would surface a duplicate.
                    deadline = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500));
                }
            } else if (cut && cuts < MAX_CUTS && System.nanoTime() > nextCut) {
                reader.dropConnection();
                cuts++;
                nextCut = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1200));
            }
            Optional<Received> r = reader.next(Duration.ofMillis(50));
            if (r.isEmpty()) {
                continue;
            }
            JsonNode item = Api.data(r.get(), "new_item");
            if (item != null && tag.equals(item.path("tag").asText())) {
                ids.add(item.path("id").asText());
            }
            SseFrame.Event reconnect = r.get().event("reconnect");
            if (reconnect != null) {
                reconnects.add(reconnect);
            }
        }
        return new Read(ids, reconnects);
    }

    private static void assertExactlyOnceInOrder(List<String> written, List<String> received, String how) {
        List<String> sorted = new ArrayList<>(written);
        Collections.sort(sorted);
        assertEquals(sorted, written, "ids increase in write order (string order = arrival order)");
        assertEquals(written, received, how + ": every item exactly once, in order");
    }

    private static void awaitFirstSnapshot(ReconnectingSseReader reader) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < until) {
            Optional<Received> r = reader.next(Duration.ofMillis(200));
            if (r.isPresent() && r.get().event("metrics") != null) {
                return;
            }
        }
        throw new AssertionError("no metrics snapshot within 15 s; failed statuses " + reader.failedStatuses());
    }

    @Test
    void clientCutsAtRandomPointsLoseNothing(E2eRun run) {
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        try (ReconnectingSseReader reader = new ReconnectingSseReader(client, STREAM + "?tags=" + tag, "",
                Duration.ofMillis(100)).start()) {
            awaitFirstSnapshot(reader);
            CompletableFuture<List<String>> writer = writeSteadily(client, tag);
            Read read = read(reader, tag, writer, true);
            assertExactlyOnceInOrder(writer.join(), read.ids(), reader.connections() + " connections");
            assertTrue(reader.connections() >= 3, "the connection was cut: " + reader.connections() + " connections");
            assertEquals(List.of(), reader.failedStatuses(), "every reconnect was accepted");
            // Every reconnect after the first item resumed from a real id.
            List<String> sent = reader.sentLastEventIds();
            assertTrue(sent.stream().skip(1).noneMatch(String::isEmpty), "Last-Event-ID on reconnects: " + sent);
        }
    }

    @Test
    void serverEndedStreamsLoseNothing(E2eRun run) throws IOException {
        Assumptions.assumeTrue(run.startedLocalStack(), "needs a local stack started by the suite"
                + " (E2E_TARGET=local): it starts a second one with SSE_MAX_STREAM_SECONDS=3");
        try (LocalStack shortStreams = run.startAnotherLocalStack(Map.of("SSE_MAX_STREAM_SECONDS", "3"))) {
            PulseClient client = new PulseClient(shortStreams.targets(), run.auth());
            String tag = E2eRun.uniqueTag();
            JsonNode status = Api.json(client.get(STREAM + "/status"));
            assertEquals(3, status.path("max_stream_seconds").asInt(), status::toString);
            // Reconnect quickly (not after retry: 3000) so that more streams end while items are written.
            try (ReconnectingSseReader reader = new ReconnectingSseReader(client, STREAM + "?tags=" + tag, "",
                    Duration.ofMillis(200)).start()) {
                awaitFirstSnapshot(reader);
                CompletableFuture<List<String>> writer = writeSteadily(client, tag);
                Read read = read(reader, tag, writer, false);
                assertExactlyOnceInOrder(writer.join(), read.ids(), read.reconnects().size() + " server-ended streams");
                assertTrue(read.reconnects().size() >= 2, "the server ended streams: " + read.reconnects());
                for (SseFrame.Event e : read.reconnects()) {
                    JsonNode data = Api.json(e.data());
                    assertTrue(data.path("reason").isTextual(), e::toString);
                    assertTrue(data.has("last_event_id"), e::toString);
                }
                assertEquals(List.of(), reader.failedStatuses());
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
