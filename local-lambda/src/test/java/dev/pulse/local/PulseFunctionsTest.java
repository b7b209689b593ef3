package dev.pulse.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The functions' environment as the local stack builds it: Terraform's names, the key as its digest only. */
class PulseFunctionsTest {

    @Test
    void theDashboardGetsTheKeysDigestNeverTheKey() throws Exception {
        Path outputs = Files.createTempFile("outputs", ".json");
        LocalStackConfig config = RealArtifacts.config(outputs, Map.of("PULSE_API_KEY", "local-key"));
        Path taskRoot = Files.createTempDirectory("task");
        FunctionSpec dashboard = PulseFunctions.dashboard(config, taskRoot, taskRoot.resolve("runtime"),
                "http://127.0.0.1:1", "http://127.0.0.1:8081/", "d", "http://127.0.0.1:8080");
        // printf %s local-key | sha256sum (and Terraform's sha256("local-key"))
        assertEquals("dba73d3fcb67907054ce8317378a14b30da1b86b75803e9ba66f18efd9bef09e",
                dashboard.env().get("PULSE_API_KEY_SHA256"));
        assertFalse(dashboard.env().containsKey("PULSE_API_KEY"));
        assertFalse(dashboard.env().containsValue("local-key"), "the key is in no variable of the function");
        assertEquals("http://127.0.0.1:8080", dashboard.env().get("PULSE_CORS_ALLOWED_ORIGINS"));

        FunctionSpec sse = PulseFunctions.sse(config, taskRoot, "http://127.0.0.1:1", "s", "http://127.0.0.1:8080");
        assertFalse(sse.env().containsKey("PULSE_API_KEY_SHA256"));
        assertFalse(sse.env().containsValue("local-key"));
        assertEquals("http://127.0.0.1:8080", sse.env().get("PULSE_CORS_ALLOWED_ORIGINS"));
    }

    @Test
    void noKeyMeansNoDigestAndNoCorsSettingMeansTheDashboardsOwnOrigin() throws Exception {
        LocalStackConfig config = RealArtifacts.config(Files.createTempFile("outputs", ".json"), Map.of());
        assertNull(config.apiKey());
        assertNull(config.corsOrigins(), "unset: PulseLocalStack fills in the dashboard's own origin");
        Path taskRoot = Files.createTempDirectory("task");
        FunctionSpec dashboard = PulseFunctions.dashboard(config, taskRoot, taskRoot.resolve("runtime"),
                "http://127.0.0.1:1", "http://127.0.0.1:8081/", "d", RequestGuard.ownOrigins(8080));
        assertFalse(dashboard.env().containsKey("PULSE_API_KEY_SHA256"));
        assertEquals("http://127.0.0.1:8080,http://localhost:8080", dashboard.env().get("PULSE_CORS_ALLOWED_ORIGINS"));
        assertEquals("*", RealArtifacts.config(Files.createTempFile("outputs", ".json"),
                Map.of("PULSE_CORS_ALLOWED_ORIGINS", "*")).corsOrigins(), "an explicit setting is kept");
    }
}
