package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.local.lambda.CapturedLog;
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
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real SSE zip in the emulator's Managed Instances mode (PULSE_SSE_MAX_CONCURRENCY=8, PULSE_SSE_CONCURRENCY=1):
 * its runtime serves AWS_LAMBDA_MAX_CONCURRENCY streams in one process. Eight streams opened at once all run in
 * the one pre-started environment, each gets its first event promptly and a written item, and a ninth is throttled.
 */
class ManagedInstancesArtifactsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int STREAMS = 8;
    private static final CapturedLog LOG = new CapturedLog();
    private static LocalPulse stack;
    private static long environmentPid;

    @BeforeAll
    static void start() throws Exception {
        RealArtifacts.require();
        LocalPulseConfig config = RealArtifacts.config(Files.createTempDirectory("pulse-mi-it-").resolve("outputs.json"),
                Map.of("PULSE_SSE_MAX_CONCURRENCY", Integer.toString(STREAMS), "PULSE_SSE_CONCURRENCY", "1",
                        // long enough for all streams to be open at once
                        "SSE_MAX_STREAM_SECONDS", "20"));
        stack = LocalPulse.start(config, LOG);
        // Started with the function, before any request.
        List<ProcessHandle> started = sseProcesses();
        assertEquals(1, started.size(), "one environment, pre-started: " + started);
        environmentPid = started.getFirst().pid();
        stack.awaitAnswering(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static List<ProcessHandle> sseProcesses() {
        return stack.functions().processes("pulse-local-sse");
    }

    @Test
    void theStartLineSaysWhatRunsAndWhy() {
        assertTrue(LOG.contains("[local] sse: ", "Managed Instances: 1 environment x 8",
                "local overrides: memory 256 -> 2048 MB (Managed Instances need 2048 MB at least)",
                "concurrency 20 -> Managed Instances: 1 environment x 8"), LOG.lines::toString);
        assertEquals(1, stack.functions().environments("pulse-local-sse"));
    }

    @Test
    void eightStreamsAtOnceShareTheOneEnvironmentAndEachGetsItsFirstEventAndAWrittenItem() throws Exception {
        long before = System.currentTimeMillis();
        List<CompletableFuture<HttpResponse<InputStream>>> requests = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            requests.add(HTTP.sendAsync(HttpRequest.newBuilder(stack.url("sse").resolve("api/v2/stream?tags=MI"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream()));
        }
        List<SseReader> readers = new ArrayList<>();
        try {
            for (CompletableFuture<HttpResponse<InputStream>> request : requests) {
                HttpResponse<InputStream> response = request.join();
                assertEquals(200, response.statusCode());
                readers.add(new SseReader(response.body()));
            }
            for (SseReader reader : readers) {
                SseFrame.Event snapshot = reader.nextEvent();
                long millis = System.currentTimeMillis() - before;
                assertNotNull(snapshot, "a stream ended before its first event");
                assertEquals("metrics", snapshot.type(), "a metrics snapshot first: " + snapshot);
                assertTrue(millis < 2000, "eight at once, each first event within 2 s of the requests: " + millis + " ms");
            }

            HttpResponse<String> ninth = HTTP.send(HttpRequest.newBuilder(stack.url("sse").resolve("api/v2/stream"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, ninth.statusCode(), "1 environment x 8: a ninth stream is throttled");
            assertEquals(List.of(environmentPid), sseProcesses().stream().map(ProcessHandle::pid).toList(),
                    "the eight streams run in the one environment process");

            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(stack.url("dashboard").resolve("api/v2/items"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"tag\":\"MI\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"to eight streams\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String id = MAPPER.readTree(created.body()).path("id").asText();
            List<CompletableFuture<SseFrame.Event>> items = readers.stream()
                    .map(reader -> CompletableFuture.supplyAsync(() -> nextItem(reader))).toList();
            for (CompletableFuture<SseFrame.Event> item : items) {
                SseFrame.Event event = item.join();
                assertNotNull(event, "a stream ended before the item arrived");
                assertEquals(id, event.id());
                assertEquals("to eight streams", MAPPER.readTree(event.data()).path("text").asText());
            }
        } finally {
            for (SseReader reader : readers) {
                reader.close();
            }
        }
    }

    private static SseFrame.Event nextItem(SseReader reader) {
        try {
            SseFrame.Event event;
            while ((event = reader.nextEvent()) != null && !event.type().equals("new_item")) {
                // metrics
            }
            return event;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
