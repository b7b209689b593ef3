package dev.pulse.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.client.Request;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs benchmark items, one at a time or in batches. A 429 (every dashboard environment busy, as on Lambda) and a
 * 503 (the write did not get its turn on the head record before its deadline) are retried after a short pause with
 * the same Idempotency-Key, as a client should, and counted: "as fast as the API takes them" includes its
 * back-pressure.
 */
final class ItemWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 200;

    /** The (first) id the server assigned, and when the 201 arrived ({@link System#nanoTime()}). */
    record Written(String id, long sentAtNanos, long doneAtNanos) {
        double millis() {
            return (doneAtNanos - sentAtNanos) / 1e6;
        }
    }

    private final PulseClient client;
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();

    ItemWriter(PulseClient client) {
        this.client = client;
    }

    Written post(String tag, int n) {
        return send(Request.post("/api/v2/items", item(tag, n)).withHeader(PulseClient.IDEMPOTENCY_KEY,
                UUID.randomUUID().toString()));   // one key per item: a retry is stored at most once
    }

    /** One item without an {@code Idempotency-Key}: the store then writes no key record. A retried 503 may store it twice. */
    Written postWithoutKey(String tag, int n) {
        return send(Request.post("/api/v2/items", item(tag, n)).withoutIdempotencyKey());
    }

    /** Items {@code first .. first + size - 1} as one batch (a JSON array), under one key. */
    Written postBatch(String tag, int first, int size) {
        StringBuilder body = new StringBuilder("[");
        for (int n = first; n < first + size; n++) {
            body.append(n == first ? "" : ",").append(item(tag, n));
        }
        return send(Request.post("/api/v2/items", body.append(']').toString()).withHeader(PulseClient.IDEMPOTENCY_KEY,
                UUID.randomUUID().toString()));
    }

    private static String item(String tag, int n) {
        return "{\"tag\":\"" + tag + "\",\"label\":\"" + (n % 3 == 0 ? "positive" : n % 3 == 1 ? "neutral" : "negative")
                + "\",\"score\":0.5,\"text\":\"bench item " + n + "\",\"source\":\"bench\"}";
    }

    private Written send(Request request) {
        long sent = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = client.send(request);
            if (r.statusCode() == 201 || r.statusCode() == 200) {   // 200: a retry of a write that did commit
                try {
                    JsonNode answer = JSON.readTree(r.body());
                    JsonNode first = answer.has("items") ? answer.path("items").path(0) : answer;
                    return new Written(first.path("id").asText(), sent, System.nanoTime());
                } catch (IOException e) {
                    throw new UncheckedIOException("201 without a JSON body: " + r.body(), e);
                }
            }
            if (r.statusCode() != 429 && r.statusCode() != 503 || attempt >= MAX_ATTEMPTS) {
                throw new IllegalStateException("POST /api/v2/items → " + r.statusCode() + ": " + r.body());
            }
            (r.statusCode() == 429 ? throttled : unavailable).incrementAndGet();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** How many 429s were retried so far. */
    int throttled() {
        return throttled.get();
    }

    /** How many 503s were retried so far. */
    int unavailable() {
        return unavailable.get();
    }
}
