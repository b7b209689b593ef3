package dev.pulse.e2e.diagnose;

import dev.pulse.e2e.FailureReporter;
import dev.pulse.e2e.Targets;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failure hook: registered, silent for a local stack, never throwing. */
class LogSummaryReporterTest {

    @Test
    void isRegisteredWithTheServiceLoader() {
        assertTrue(ServiceLoader.load(FailureReporter.class).stream()
                .anyMatch(p -> p.type() == LogSummaryReporter.class));
    }

    @Test
    void saysNothingForALocalStack() {
        Targets local = new Targets(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8081"), "local", List.of());
        assertEquals("", report(local));
    }

    @Test
    void aDeploymentItCannotReadIsOneLineNotAnException() {
        // No E2E_OUTPUTS_FILE and no terraform state in this build: it explains and returns.
        Targets deployed = new Targets(URI.create("https://abc.lambda-url.eu-west-1.on.aws"),
                URI.create("https://def.lambda-url.eu-west-1.on.aws"), "env", List.of());
        String out = report(deployed);
        assertTrue(out.startsWith("[e2e]   ") && out.strip().lines().count() >= 1, out);
    }

    private static String report(Targets targets) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LogSummaryReporter().report(targets, "someTest", java.time.Instant.now(), new AssertionError("x"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
