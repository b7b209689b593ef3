package dev.pulse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar target/local-lambda.jar} exactly as `make run` and the e2e suite start it. */
class LocalPulseMainIT {

    @Test
    void startsWritesTheOutputsAnswersAndStopsEverythingOnSigterm() throws Exception {
        RealArtifacts.require();
        try (StackProcess run = StackProcess.start(Map.of("SSE_MAX_STREAM_SECONDS", "3"))) {
            Process stack = run.process();
            JsonNode json = run.outputs();
            URI dashboard = URI.create(json.at("/dashboard_function_url/value").asText());
            URI sse = URI.create(json.at("/sse_lambda_function_url/value").asText());
            assertTrue(dashboard.toString().matches("http://127\\.0\\.0\\.1:\\d+/"), dashboard.toString());
            assertTrue(sse.toString().matches("http://127\\.0\\.0\\.1:\\d+/"), sse.toString());
            assertEquals("pulse-local", json.at("/table_name/value").asText());
            assertTrue(json.at("/dynamodb_endpoint/value").asText().startsWith("http://127.0.0.1:"));
            assertEquals("pulse-local-dashboard", json.at("/dashboard_function_name/value").asText());
            assertEquals("pulse-local-sse", json.at("/sse_function_name/value").asText());

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(dashboard.resolve("health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(sse.resolve("api/v2/stream/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode(), status.body());
            assertEquals("RESPONSE_STREAM", new ObjectMapper().readTree(status.body()).path("invoke_mode").asText());
            String printed = run.console();
            assertTrue(printed.contains(dashboard.toString()) && printed.contains(sse.toString()), printed);
            assertTrue(printed.contains("[dashboard]") || printed.contains("[sse]"), "child output is prefixed:\n" + printed);
            assertTrue(printed.contains("browsers: only pages from http://127.0.0.1:" + dashboard.getPort()
                    + ",http://localhost:" + dashboard.getPort()), "CORS defaults to the dashboard's own origin:\n" + printed);

            // An open stream when the stack stops: stopping it is not a failure to report.
            HttpResponse<java.io.InputStream> open = http.send(HttpRequest.newBuilder(sse.resolve("api/v2/stream")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, open.statusCode());
            List<ProcessHandle> descendants = stack.descendants().toList();
            assertTrue(descendants.size() >= 3, "DynamoDB emulator and two environments: " + descendants);
            int before = run.console().length();
            stack.destroy(); // SIGTERM, like Ctrl-C
            assertTrue(stack.waitFor(30, TimeUnit.SECONDS), "the stack did not stop on SIGTERM");
            assertEquals(0, stack.exitValue(), "stopping on request is not a failure");
            String afterStop = run.console().substring(before);
            assertEquals(1, afterStop.split("\\[local] stopped", -1).length - 1, "one line says it stopped:\n" + afterStop);
            assertTrue(!afterStop.contains("StreamInterrupted") && !afterStop.contains("502"),
                    "no failure per open stream while stopping:\n" + afterStop);
            for (ProcessHandle child : descendants) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
            assertTrue(descendants.stream().noneMatch(ProcessHandle::isAlive), "orphans: " + descendants);
        }
    }

    @Test
    void aPortInUseIsNamedWithItsVariable() throws Exception {
        RealArtifacts.require();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            try (StackProcess run = StackProcess.launch(Map.of("PULSE_DASHBOARD_PORT", Integer.toString(taken.getLocalPort())))) {
                assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), "the stack gave up");
                assertEquals(2, run.process().exitValue());
                String printed = run.console();
                assertTrue(printed.contains("port " + taken.getLocalPort() + " for the dashboard function URL is in use")
                        && printed.contains("set PULSE_DASHBOARD_PORT to a free port"), printed);
            }
        }
    }

    @Test
    void aDeadDynamoDbEmulatorStopsTheWholeStackWithOneClearLine() throws Exception {
        RealArtifacts.require();
        try (StackProcess run = StackProcess.start(Map.of())) {
            Process stack = run.process();
            ProcessHandle moto = stack.descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("dynamodb-emulator.py"))
                    .findFirst().orElseThrow(() -> new AssertionError("no DynamoDB emulator under the stack"));
            List<ProcessHandle> everything = stack.descendants().toList();
            moto.destroyForcibly();
            assertTrue(stack.waitFor(30, TimeUnit.SECONDS), "the stack ran on without its DynamoDB emulator");
            assertEquals(3, stack.exitValue());
            String printed = run.console();
            assertTrue(printed.contains("[local] stopping the whole stack: the DynamoDB emulator (moto"), printed);
            for (ProcessHandle child : everything) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
