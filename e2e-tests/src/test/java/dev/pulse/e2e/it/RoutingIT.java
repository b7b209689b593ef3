package dev.pulse.e2e.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.e2e.Targets;
import dev.pulse.e2e.client.FunctionTarget;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.client.RecordedRequest;
import dev.pulse.e2e.client.Request;
import dev.pulse.e2e.client.Routing;
import dev.pulse.e2e.sse.SseConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.pulse.e2e.it.Api.STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure Pulse is designed against: a stream request sent to the buffered dashboard function.
 * The dashboard must refuse it at once (421), and the client must never send one there.
 */
@Tag("api")
@Tag("sse")
@Tag("preprod-safe")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class RoutingIT {

    @Test
    void aStreamPathOnTheDashboardUrlIsRefusedWith421InUnderASecond(E2eRun run) {
        PulseClient client = run.client();
        assertEquals(200, client.get("/health").statusCode(), "warm-up: the dashboard answers");
        for (String path : List.of(STREAM, STREAM + "/", STREAM + "/status", STREAM + "?tags=ABC")) {
            long start = System.nanoTime();
            HttpResponse<String> r = client.send(Request.get(path).to(FunctionTarget.DASHBOARD)
                    .withHeader("Accept", "text/event-stream").withTimeout(Duration.ofSeconds(5)));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            JsonNode body = Api.assertError(r, 421, "misdirected_stream_request");
            assertTrue(ms < 1000, path + " on the dashboard took " + ms + " ms");
            if (!run.targets().sseFallsBackToDashboard()) {
                assertEquals(run.targets().sseUrl(), Targets.normalise(body.path("sse_url").asText(), "sse_url"),
                        () -> "the 421 names the SSE function's URL: " + body);
            }
        }
        assertTrue(client.requests().stream().skip(1).allMatch(q -> !q.routed() && q.base() == FunctionTarget.DASHBOARD));
    }

    @Test
    void theDashboardAdvertisesTheSseUrl(E2eRun run) {
        JsonNode runtime = Api.json(run.client().get("/api/v2/runtime"));
        assertTrue(runtime.path("version").isTextual(), runtime::toString);
        if (!run.targets().sseFallsBackToDashboard()) {
            assertEquals(run.targets().sseUrl(), Targets.normalise(runtime.path("sse_url").asText(), "sse_url"),
                    () -> "the page's EventSource would go to " + runtime.path("sse_url"));
        }
    }

    @Test
    void everyStreamRequestTheClientMadeWentToTheSseUrl(E2eRun run) {
        PulseClient client = run.client();
        try (SseConnection c = SseConnection.open(client, STREAM, "", Duration.ofSeconds(10))) {
            assertEquals(200, c.status(), () -> StreamIT.body(c));
            c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(10));
        }
        try (SseConnection c = SseConnection.open(client, STREAM + "/?tags=" + E2eRun.uniqueTag(), "",
                Duration.ofSeconds(10))) {
            assertEquals(200, c.status(), () -> StreamIT.body(c));
            c.readUntil(r -> r.event("metrics") != null, Duration.ofSeconds(10));
        }
        assertEquals(200, client.get(STREAM + "/status").statusCode());
        assertEquals(200, client.get("/health").statusCode());
        assertEquals(200, client.get("/api/v2/metrics").statusCode());
        assertEquals(200, client.get("/api/v2/items?limit=1").statusCode());
        Api.assertError(client.get("/api/v2/streamer"), 404, "not_found");

        List<RecordedRequest> requests = client.requests();
        assertEquals(7, requests.size());
        long streams = requests.stream().filter(q -> Routing.isStreamPath(q.path())).count();
        assertEquals(3, streams);
        for (RecordedRequest q : requests) {
            assertTrue(q.routed());
            FunctionTarget expected = Routing.isStreamPath(q.path()) ? FunctionTarget.SSE : FunctionTarget.DASHBOARD;
            assertEquals(expected, q.base(), q::toString);
            assertTrue(q.uri().toString().startsWith(client.base(expected).toString()), q::toString);
        }
        assertFalse(run.targets().sseFallsBackToDashboard(), "stream requests can only reach the SSE function when"
                + " its URL is known: " + run.targets().warnings());
    }
}
