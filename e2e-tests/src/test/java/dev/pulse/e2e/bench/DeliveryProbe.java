package dev.pulse.e2e.bench;

import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.testing.SseFrame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ingest-to-delivery: POST an item, time until its {@code new_item} (matched by id) reaches an open
 * stream filtered to the item's tag. A random pause of up to one poll interval before each write
 * spreads the writes over the poll cycle, so the samples are not phase-locked to it.
 * Streams that the server ends early (short {@code SSE_MAX_STREAM_SECONDS}) are replaced before
 * they would end.
 */
final class DeliveryProbe {

    record Result(List<Double> deliveryMillis, List<Double> postMillis) {
    }

    private DeliveryProbe() {
    }

    static Result run(PulseClient client, ItemWriter writer, String tag, int samples, long jitterMillis,
                      Duration streamLife) {
        List<Double> delivery = new ArrayList<>();
        List<Double> post = new ArrayList<>();
        SseConnection stream = null;
        long openedAt = 0;
        try {
            for (int i = 0; i < samples; i++) {
                if (stream == null || System.nanoTime() - openedAt > streamLife.toNanos()) {
                    if (stream != null) {
                        stream.close();
                    }
                    openedAt = System.nanoTime();
                    stream = SseConnection.open(client, "/api/v2/stream?tags=" + tag, null, Duration.ofSeconds(30));
                    stream.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(30));
                }
                sleep(ThreadLocalRandom.current().nextLong(jitterMillis + 1));
                ItemWriter.Written w = writer.post(tag, i);
                List<Received> seen = stream.readUntil(r -> isItem(r, w.id()), Duration.ofSeconds(30));
                delivery.add((seen.getLast().atNanos() - w.sentAtNanos()) / 1e6);
                post.add(w.millis());
            }
        } finally {
            if (stream != null) {
                stream.close();
            }
        }
        return new Result(delivery, post);
    }

    private static boolean isItem(Received r, String id) {
        SseFrame.Event e = r.event("new_item");
        return e != null && id.equals(e.lastEventId());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
