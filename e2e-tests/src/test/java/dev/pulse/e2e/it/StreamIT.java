package dev.pulse.e2e.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.e2e.client.FunctionTarget;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.client.RecordedRequest;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.testing.SseFrame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.pulse.e2e.it.Api.STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream without writing anything: availability, status, malformed resume ids, bad filters. */
@Tag("sse")
@Tag("preprod-safe")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class StreamIT {

    /** Asserts the opening of a stream: retry 3000, then a metrics snapshot with the counter fields. */
    static JsonNode assertOpening(List<Received> frames) {
        assertTrue(frames.size() >= 2, () -> "frames: " + frames);
        assertEquals(new SseFrame.Retry(3000), frames.get(0).frame(), () -> "first frame of " + frames);
        SseFrame.Event metrics = frames.get(1).event("metrics");
        assertTrue(metrics != null, () -> "second frame must be the metrics snapshot: " + frames);
        assertTrue(metrics.hasIdField(), "every data event carries id: " + metrics);
        JsonNode m = Api.json(metrics.data());
        for (String f : new String[] {"total", "positive", "neutral", "negative"}) {
            assertTrue(m.path(f).isIntegralNumber() && m.path(f).asLong() >= 0, () -> f + " in " + m);
        }
        assertTrue(m.path("by_tag").isObject(), () -> "by_tag in " + m);
        assertTrue(m.has("updated_at"), () -> "updated_at in " + m);
        return m;
    }

    @Test
    void globalStreamIsAvailableWithRetryThenMetricsWithinTenSeconds(E2eRun run) {
        PulseClient client = run.client();
        long start = System.nanoTime();
        try (SseConnection c = SseConnection.open(client, STREAM, "", Duration.ofSeconds(10))) {
            assertEquals(200, c.status(), () -> "GET " + STREAM + ": " + body(c));
            String type = c.headers().firstValue("Content-Type").orElse("");
            assertTrue(type.startsWith("text/event-stream"), "Content-Type: " + type);
            assertTrue(c.headers().firstValue("Cache-Control").orElse("").contains("no-cache"),
                    "Cache-Control: " + c.headers().map());
            List<Received> frames = c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(10));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(frames.get(frames.size() - 1).atNanos() - start);
            assertTrue(elapsedMs < 10_000, "metrics snapshot after " + elapsedMs + " ms");
            assertOpening(frames);
        }
        RecordedRequest r = client.requests().get(0);
        assertEquals(FunctionTarget.SSE, r.base(), "the stream went to " + r);
    }

    @Test
    void streamStatusIsServedByTheSseFunction(E2eRun run) {
        PulseClient client = run.client();
        HttpResponse<String> r = client.get(STREAM + "/status");
        assertEquals(200, r.statusCode(), r::body);
        JsonNode s = Api.json(r);
        assertEquals("ok", s.path("status").asText(), s::toString);
        assertEquals("RESPONSE_STREAM", s.path("invoke_mode").asText(), s::toString);
        assertTrue(s.path("heartbeat_interval_seconds").asInt() > 0, s::toString);
        assertTrue(s.path("max_stream_seconds").asInt() > 0, s::toString);
        assertTrue(s.path("poll_interval_ms").asInt() > 0, s::toString);
        assertTrue(s.path("version").isTextual(), s::toString);
        assertEquals(FunctionTarget.SSE, client.requests().get(0).base());
    }

    @Test
    void aMalformedLastEventIdStartsAFreshStream(E2eRun run) {
        PulseClient client = run.client();
        // The newest id now: a stream that wrongly replayed "from the beginning" would send older items.
        JsonNode newest = Api.json(client.get(Api.ITEMS + "?limit=1")).path("items");
        String newestId = newest.isEmpty() ? "" : newest.get(0).path("id").asText();
        for (String[] variant : new String[][] {{STREAM, "garbage!!"}, {STREAM, "../../0"},
                {STREAM + "?lastEventId=%3Cscript%3E", ""}, {STREAM + "?lastEventId=1", ""}}) {
            try (SseConnection c = SseConnection.open(client, variant[0], variant[1], Duration.ofSeconds(10))) {
                assertEquals(200, c.status(), () -> String.join(" ", variant) + ": " + body(c));
                List<Received> frames = c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(10));
                assertOpening(frames);
                // Anything replayed would follow the snapshot at once; give it longer than a poll.
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
                while (System.nanoTime() < until) {
                    Optional<Received> next = c.next(Duration.ofMillis(100));
                    next.map(x -> x.event("new_item")).ifPresent(e -> assertTrue(e.lastEventId().compareTo(newestId) > 0,
                            "replayed an old item " + e.lastEventId() + " for Last-Event-ID " + String.join(" ", variant)));
                    next.map(x -> x.event("error")).ifPresent(e -> {
                        throw new AssertionError("an error event for a malformed id: " + e);
                    });
                }
            }
        }
    }

    @Test
    void aBadTagFilterIsA400JsonError(E2eRun run) {
        PulseClient client = run.client();
        for (String tags : new String[] {"lower", "TOO-LONG-TAG-NAME-X", "A%20B", "A;B"}) {
            long start = System.nanoTime();
            try (SseConnection c = SseConnection.open(client, STREAM + "?tags=" + tags, "", Duration.ofSeconds(10))) {
                assertEquals(400, c.status(), "tags=" + tags);
                assertTrue(c.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                        c.headers().map()::toString);
                JsonNode err = Api.json(c.bodyText());
                assertTrue(err.path("error").isTextual() && !err.path("message").asText().isBlank(), err::toString);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000, "answered at once");
        }
    }

    static String body(SseConnection c) {
        try {
            return c.status() == 200 ? "(stream)" : c.bodyText();
        } catch (IOException e) {
            return "(body unreadable: " + e + ")";
        }
    }
}
