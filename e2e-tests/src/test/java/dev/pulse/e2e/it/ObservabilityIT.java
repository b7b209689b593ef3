package dev.pulse.e2e.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.e2e.client.FunctionTarget;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.client.Request;
import dev.pulse.e2e.diagnose.DiagnoseMain;
import dev.pulse.e2e.local.LocalPulseProcess;
import dev.pulse.e2e.sse.Received;
import dev.pulse.e2e.sse.SseConnection;
import dev.pulse.testing.EmfDocument;
import dev.pulse.testing.SseFrame;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.pulse.e2e.it.Api.STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the functions write about themselves (docs/operations.md), black box, from a stack's log files: a stream run to
 * its end has an end line whose counters are what this client received; a 421 has its metric line; the lines are valid
 * Embedded Metric Format documents; nothing written, by either function or the stack, holds an item's text or the
 * write key; and diagnose's summary of those files says what happened. Local only: a deployment's lines are in
 * CloudWatch, which the failure reporter and {@code make diagnose} read the same way.
 */
@Tag("sse")
@Tag("api")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class ObservabilityIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void theLogsSayWhatTheClientSaw_andDiagnoseSummarisesThem(E2eRun run) throws Exception {
        Assumptions.assumeTrue(run.startedLocalPulse(), "needs a local stack started by the suite (E2E_TARGET=local): it"
                + " starts one with 4 s streams and reads its log files");
        try (LocalPulseProcess stack = run.startAnotherLocalPulse(Map.of("SSE_MAX_STREAM_SECONDS", "4",
                "SSE_HEARTBEAT_INTERVAL_SECONDS", "1", "SSE_POLL_INTERVAL_MS", "200"))) {
            PulseClient client = new PulseClient(stack.targets(), run.auth());
            String tag = E2eRun.uniqueTag();
            String secret = "observability secret text " + UUID.randomUUID();

            List<Received> received = new ArrayList<>();
            String streamId;
            try (SseConnection stream = SseConnection.open(client, STREAM + "?tags=" + tag, "", WAIT)) {
                assertEquals(200, stream.status(), () -> StreamIT.body(stream));
                streamId = stream.headers().firstValue("x-amzn-RequestId").orElseThrow();
                received.addAll(stream.readUntil(r -> r.event("metrics") != null, WAIT));
                Api.post(client, Api.item(tag, "positive", 0.8, secret));
                received.addAll(stream.readUntil(r -> r.event("new_item") != null, WAIT));
                Thread.sleep(1_300);   // silence: a heartbeat
                Api.post(client, Api.item(tag, "negative", 0.2, secret));
                received.addAll(stream.readUntil(r -> r.event("reconnect") != null, WAIT));
                stream.next(Duration.ofSeconds(2)).ifPresent(received::add);   // nothing after reconnect but the end
            }
            long events = received.stream().filter(r -> r.frame() instanceof SseFrame.Event).count();
            long items = received.stream().filter(r -> r.event("new_item") != null).count();
            long heartbeats = received.stream().filter(r -> r.isComment("heartbeat")).count();
            assertEquals(2, items);
            assertTrue(heartbeats >= 1, () -> "a heartbeat in the silence: " + received);

            HttpResponse<String> misdirected = client.send(Request.get(STREAM).to(FunctionTarget.DASHBOARD));
            Api.assertError(misdirected, 421, "misdirected_stream_request");
            String misdirectedId = misdirected.headers().firstValue("x-amzn-RequestId").orElseThrow();

            Path sseLog = stack.logFile("sse");
            Path dashboardLog = stack.logFile("dashboard");
            JsonNode end = awaitLine(sseLog, l -> streamId.equals(l.path("requestId").asText())
                    && "stream_end".equals(l.path("event").asText()));
            assertEquals("max_stream", end.path("reason").asText(), end::toString);
            assertEquals(events, end.path("events_sent").asLong(), () -> "events received: " + received + "\n" + end);
            assertEquals(items, end.path("items_sent").asLong(), end::toString);
            assertEquals(heartbeats, end.path("heartbeats").asLong(), end::toString);
            assertEquals(received.stream().filter(r -> r.event("reconnect") != null).findFirst().orElseThrow()
                    .event("reconnect").lastEventId(), end.path("last_event_id").asText(), "the resume id");
            assertEquals(List.of(), EmfDocument.problems(end), end::toString);
            assertEquals(2, end.path("DeliveryLag").size(), () -> "a lag sample per live item: " + end);

            JsonNode wrong = awaitLine(dashboardLog, l -> misdirectedId.equals(l.path("requestId").asText()));
            assertEquals(421, wrong.path("status").asInt());
            assertEquals(1, wrong.path("MisdirectedStreamRequests").asInt(), () -> "the 421 metric: " + wrong);
            assertEquals(List.of(), EmfDocument.problems(wrong), wrong::toString);

            String everything = Files.readString(sseLog) + Files.readString(dashboardLog) + stack.console();
            assertFalse(everything.contains(secret), "an item's text was written to a log or the console");
            assertFalse(everything.contains(run.auth().apiKey()), "the write key was written to a log or the console");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = DiagnoseMain.run(Map.of("E2E_OUTPUTS_FILE", stack.outputsFile().toString(), "DIAGNOSE_MINUTES", "10"),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String summary = out.toString(StandardCharsets.UTF_8);
            System.out.println(summary);
            assertEquals(0, exit, () -> summary + err);
            assertTrue(summary.contains("error lines: 0"), summary);
            assertTrue(summary.contains("421 misdirected stream requests: 1"), summary);
            assertTrue(summary.contains("streams ended: 1 (max_stream 1)"), summary);
            assertTrue(summary.matches("(?s).*delivery lag \\(new_item written → sent\\): p50 \\d+ ms, p99 \\d+ ms \\(2 items\\).*"),
                    summary);
        }
    }

    /** Waits for a line of the file that matches (the function writes it as the stream ends). */
    private static JsonNode awaitLine(Path file, Predicate<JsonNode> matches) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("{")) {
                    JsonNode json = Api.json(line);
                    if (matches.test(json)) {
                        return json;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such line in " + file + ":\n" + Files.readString(file));
            }
            Thread.sleep(100);
        }
    }
}
