package dev.pulse.e2e.diagnose;

import dev.pulse.e2e.TerraformOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exit statuses `make diagnose` gives when there is nothing it can check. */
class DiagnoseMainTest {

    @Test
    void anUnreadableOutputsFileIsExitTwo(@TempDir Path dir) {
        assertEquals(2, DiagnoseMain.run(Map.of("E2E_OUTPUTS_FILE", dir.resolve("missing.json").toString())));
    }

    @Test
    void noRegionAnywhereIsExitTwo(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("outputs.json"),
                "{\"dashboard_function_url\":{\"value\":\"http://127.0.0.1:8080/\"}}");
        assertEquals(2, DiagnoseMain.run(Map.of("E2E_OUTPUTS_FILE", file.toString())));
    }

    @Test
    void theRegionComesFromTheEnvironmentElseTheFunctionUrl() {
        TerraformOutputs outputs = TerraformOutputs.parse(
                "{\"dashboard_function_url\":{\"value\":\"https://abc123.lambda-url.eu-west-1.on.aws/\"}}", "test");
        assertEquals(Optional.of("eu-west-1"), DeployedOutputs.region(Map.of(), outputs));
        assertEquals(Optional.of("us-east-2"), DeployedOutputs.region(Map.of("AWS_REGION", "us-east-2"), outputs));
        assertEquals(Optional.of("ap-south-1"), DeployedOutputs.region(Map.of("AWS_DEFAULT_REGION", "ap-south-1"), outputs));
    }

    @Test
    void theOutputsOfALocalStackAreDiagnosedFromItsLogFiles(@TempDir Path dir) throws IOException {
        String now = java.time.Instant.now().toString();
        Path sse = Files.writeString(dir.resolve("sse.log"), "{\"timestamp\":\"" + now + "\",\"level\":\"INFO\","
                + "\"event\":\"stream_end\",\"reason\":\"max_stream\",\"DeliveryLag\":[12]}\n");
        Path outputs = Files.writeString(dir.resolve("local-outputs.json"), """
                {"dashboard_function_url":{"value":"http://127.0.0.1:8080/"},"sse_log_file":{"value":"%s"},
                 "dashboard_log_file":{"value":"%s"}}""".formatted(sse, dir.resolve("dashboard.log")));
        Files.writeString(dir.resolve("dashboard.log"), "");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(0, DiagnoseMain.run(Map.of("E2E_OUTPUTS_FILE", outputs.toString(), "DIAGNOSE_MINUTES", "5"),
                new java.io.PrintStream(out, true), new java.io.PrintStream(err, true)), err::toString);
        String text = out.toString();
        assertTrue(text.contains("the local stack of http://127.0.0.1:8080/"), text);
        assertTrue(text.contains("streams ended: 1 (max_stream 1)"), text);
        assertTrue(text.contains("p50 12 ms, p99 12 ms"), text);
        assertTrue(text.contains("(5 min)"), text);
    }

    @Test
    void aWindowThatIsNotMinutesIsExitTwo(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("outputs.json"), "{\"sse_log_file\":{\"value\":\"x\"}}");
        assertEquals(2, DiagnoseMain.run(Map.of("E2E_OUTPUTS_FILE", file.toString(), "DIAGNOSE_MINUTES", "soon")));
        assertEquals(java.time.Duration.ofMinutes(90), DiagnoseMain.window(Map.of("DIAGNOSE_MINUTES", "90")));
        assertEquals(java.time.Duration.ofMinutes(30), DiagnoseMain.window(Map.of()));
    }
}
