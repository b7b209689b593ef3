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
}
