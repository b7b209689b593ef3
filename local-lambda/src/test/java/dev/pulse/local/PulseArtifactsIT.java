package dev.pulse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.local.lambda.CapturedLog;
import dev.pulse.local.lambda.InvokeMode;
import dev.pulse.testing.SseFrame;
import dev.pulse.testing.SseReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real artifacts behind the emulated Function URLs, configured by terraform/local-functions.json. The SSE
 * zip is registered twice: behind its RESPONSE_STREAM URL, and behind a BUFFERED one (the misconfiguration
 * this project exists to catch; TerraformMutationIT makes the same one in terraform/ and sees this check fail).
 */
class PulseArtifactsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static LocalPulse stack;
    private static URI bufferedSseUrl;

    @BeforeAll
    static void start() throws Exception {
        RealArtifacts.require();
        LocalPulseConfig config = RealArtifacts.config(Files.createTempDirectory("pulse-it-").resolve("outputs.json"), Map.of());
        stack = LocalPulse.start(config, new CapturedLog());
        bufferedSseUrl = stack.functions().addFunction(
                stack.spec("sse").withMode("pulse-local-sse-as-buffered", InvokeMode.BUFFERED), 0);
        stack.awaitAnswering(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static HttpResponse<InputStream> open(URI url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void throughItsResponseStreamUrlTheFirstEventArrivesWellUnderASecond() throws Exception {
        StreamChecks.firstEventArrivesWellUnderASecond(stack.url("sse"));
    }

    @Test
    void throughABufferedUrlNothingArrivesUntilTheInvocationEnds() throws Exception {
        long before = System.currentTimeMillis();
        HttpResponse<InputStream> response = open(bufferedSseUrl.resolve("api/v2/stream"));
        long headersAfter = System.currentTimeMillis() - before;
        List<SseFrame> events = new ArrayList<>();
        try (SseReader sse = new SseReader(response.body())) {
            SseFrame frame;
            while ((frame = sse.next()) != null) {
                events.add(frame);
            }
        }
        // SSE_MAX_STREAM_SECONDS=3: the function streams for about 3 s, the buffered URL holds it all back.
        assertTrue(headersAfter >= 2500, "the first byte came after " + headersAfter + " ms: " + events);
        assertEquals(200, response.statusCode());
        assertTrue(events.stream().anyMatch(e -> e.isEvent("metrics")), events.toString());
        assertTrue(events.getLast().isEvent("reconnect"), "the whole stream, ended by reconnect: " + events);
    }

    @Test
    void aWrittenItemReachesAnOpenStreamAsNewItem() throws Exception {
        HttpResponse<InputStream> response = open(stack.url("sse").resolve("api/v2/stream?tags=AAPL"));
        try (SseReader sse = new SseReader(response.body())) {
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(stack.url("dashboard").resolve("api/v2/items"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"tag\":\"AAPL\",\"label\":\"positive\",\"score\":0.9,\"text\":\"hi from the IT\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String id = MAPPER.readTree(created.body()).path("id").asText();
            SseFrame.Event event;
            while ((event = sse.nextEvent()) != null && !event.type().equals("new_item")) {
                // snapshot, metrics
            }
            assertNotNull(event, "the stream ended before the new item arrived");
            JsonNode item = MAPPER.readTree(event.data());
            assertEquals(id, event.id());
            assertEquals("AAPL", item.path("tag").asText());
            assertEquals("hi from the IT", item.path("text").asText());
        }
    }

    @Test
    void theDashboardAnswersAMisroutedStreamRequestAtOnce() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(stack.url("dashboard").resolve("api/v2/stream"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(421, response.statusCode(), response.body());
        assertEquals(stack.url("sse").toString(), MAPPER.readTree(response.body()).path("sse_url").asText());
    }
}
