package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.testing.SseFrame;
import dev.pulse.testing.SseReader;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream check of the integration tests, in one place: PulseArtifactsIT runs it against a healthy stack,
 * TerraformMutationIT against a stack whose terraform/ was given a BUFFERED SSE URL, where it must fail with
 * the same message.
 */
final class StreamChecks {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private StreamChecks() {
    }

    /** GET {@code sseUrl}/api/v2/stream: 200 text/event-stream, a metrics snapshot first, well under a second after the request. */
    static void firstEventArrivesWellUnderASecond(URI sseUrl) throws Exception {
        long before = System.currentTimeMillis();
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(sseUrl.resolve("api/v2/stream"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        try (SseReader sse = new SseReader(response.body())) {
            SseFrame.Event event = sse.nextEvent();
            long millis = System.currentTimeMillis() - before;
            assertNotNull(event, "the stream ended before its first event");
            assertEquals("metrics", event.type(), "a metrics snapshot first: " + event);
            assertTrue(millis < 1000, "first event after " + millis + " ms");
            assertTrue(new ObjectMapper().readTree(event.data()).has("total"));
        }
    }
}
