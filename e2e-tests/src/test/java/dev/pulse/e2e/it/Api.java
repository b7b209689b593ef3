package dev.pulse.e2e.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseFrame;

import java.net.http.HttpResponse;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small helpers over the HTTP API: JSON, item writes, and the error-document shape of DESIGN §3. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** DESIGN §2 / brief: 13-digit epoch millis, '-', 6 hex/digit chars. */
    public static final Pattern ITEM_ID = Pattern.compile("\\d{13}-[0-9a-f]{6}");
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
