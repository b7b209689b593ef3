package dev.pulse.e2e.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.client.Request;
import dev.pulse.e2e.sse.Received;
import dev.pulse.testing.SseFrame;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small helpers over the HTTP API: JSON, item writes, and the error-document shape of docs/architecture.md#the-dashboard-function. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** The item's sequence number, zero-padded to 16 digits: string order is commit order. */
    public static final Pattern ITEM_ID = Pattern.compile("\\d{16}");
    public static final String ITEMS = "/api/v2/items";
    public static final String STREAM = "/api/v2/stream";

    private Api() {
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + abbreviate(text), e);
        }
    }

    public static JsonNode json(HttpResponse<String> r) {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> r.request().method() + " " + r.uri() + ": Content-Type " + r.headers().firstValue("Content-Type")
                        + ", body " + abbreviate(r.body()));
        return json(r.body());
    }

    public static ObjectNode item(String tag, String label, double score, String text) {
        return JSON.createObjectNode().put("tag", tag).put("label", label).put("score", score).put("text", text)
                .put("source", "e2e-tests");
    }

    /** POSTs the item and returns the stored item (201 asserted). */
    public static JsonNode post(PulseClient client, ObjectNode item) {
        HttpResponse<String> r = client.postJson(ITEMS, item.toString());
        assertEquals(201, r.statusCode(), () -> "POST " + ITEMS + " " + item + " -> " + r.statusCode() + " " + r.body());
        JsonNode stored = json(r);
        assertTrue(ITEM_ID.matcher(stored.path("id").asText()).matches(), () -> "id format: " + stored);
        return stored;
    }

    /**
     * POSTs the item as a client that retries does: 429 (all environments busy), 502 and 503 are tried again
     * with the same {@code Idempotency-Key}, so the item is stored once however often it is sent. Returns the
     * stored item (201, or 200 when a retry found the earlier write).
     */
    public static JsonNode postRetrying(PulseClient client, ObjectNode item, Duration giveUpAfter) {
        return json(sendRetrying(client, item, UUID.randomUUID().toString(), giveUpAfter));
    }

    /**
     * As {@link #postRetrying}, with the caller's key, for one item (a JSON object) or a batch (a JSON array); returns
     * the answer that ended it (201 or 200, every id's form asserted).
     */
    public static HttpResponse<String> sendRetrying(PulseClient client, JsonNode body, String key, Duration giveUpAfter) {
        long until = System.nanoTime() + giveUpAfter.toNanos();
        while (true) {
            HttpResponse<String> r = client.send(Request.post(ITEMS, body.toString())
                    .withHeader(PulseClient.IDEMPOTENCY_KEY, key));
            if (r.statusCode() == 201 || r.statusCode() == 200) {
                JsonNode stored = json(r);
                for (JsonNode item : body.isArray() ? stored.path("items") : List.of(stored)) {
                    assertTrue(ITEM_ID.matcher(item.path("id").asText()).matches(), () -> "id format: " + stored);
                }
                return r;
            }
            boolean retryable = r.statusCode() == 429 || r.statusCode() == 502 || r.statusCode() == 503;
            if (!retryable || System.nanoTime() > until) {
                throw new AssertionError("POST " + abbreviate(body.toString()) + " -> " + r.statusCode() + " "
                        + abbreviate(r.body()));
            }
            try {
                Thread.sleep(50 + (long) (Math.random() * 200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static JsonNode post(PulseClient client, String tag, String text) {
        return post(client, item(tag, "positive", 0.75, text));
    }

    /**
     * Asserts an error answer: the status, JSON, and {@code {"error": <code>, "message": <sentence>}}.
     */
    public static JsonNode assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), () -> r.request().method() + " " + r.uri() + " -> " + r.body());
        JsonNode body = json(r);
        assertEquals(code, body.path("error").asText(), () -> "error code in " + body);
        assertFalse(body.path("message").asText().isBlank(), () -> "a human message in " + body);
        return body;
    }

    /** The frame's event data as JSON when it is an event of {@code type}, else null. */
    public static JsonNode data(Received r, String type) {
        SseFrame.Event e = r.event(type);
        return e == null ? null : json(e.data());
    }

    public static void fields(JsonNode stored, JsonNode expected) {
        for (String f : new String[] {"tag", "label", "text", "source"}) {
            assertEquals(expected.path(f).asText(), stored.path(f).asText(), () -> f + " of " + stored);
        }
        assertEquals(expected.path("score").asDouble(), stored.path("score").asDouble(), 1e-9, () -> "score of " + stored);
    }

    public static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
