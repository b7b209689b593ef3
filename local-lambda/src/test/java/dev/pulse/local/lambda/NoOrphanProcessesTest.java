package dev.pulse.local.lambda;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoOrphanProcessesTest {

    @Test
    void closingTheStackEndsEveryEnvironmentEvenMidInvocation() throws Exception {
        List<ProcessHandle> children;
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> inFlight;
        try (LambdaEmulator stack = new LambdaEmulator(new CapturedLog())) {
            URI url = stack.addFunction(Fixtures.spec("orphan-check", InvokeMode.RESPONSE_STREAM, 3, Duration.ofSeconds(60)), 0);
            // one environment busy streaming for a minute, and one warm and idle
            inFlight = http.sendAsync(HttpRequest.newBuilder(url.resolve("stream?n=600&gap=100")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (stack.environments("orphan-check") < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(200, http.send(HttpRequest.newBuilder(url.resolve("pid")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            children = new ArrayList<>(stack.processes());
            assertEquals(2, children.size(), "one warm and one busy environment");
        }
        for (ProcessHandle child : children) {
            child.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(!child.isAlive(), "environment " + child.pid() + " still running after close");
        }
        List<Long> left = ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("FixtureFunction"))
                .map(ProcessHandle::pid).toList();
        assertEquals(List.of(), left, "no runtime outlives the stack");
        // the client of the interrupted stream gets an answer (a truncated one), not a hang
        assertTrue(inFlight.handle((r, e) -> true).get(10, java.util.concurrent.TimeUnit.SECONDS));
    }
}
