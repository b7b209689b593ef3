package dev.pulse.local.lambda;

import dev.pulse.lambda.runtime.LambdaRuntime;
import dev.pulse.local.lambda.fixture.SnapStartFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SnapStart as the emulator starts it, with a real runtime ({@code lambda-runtime}, in {@link SnapStartFunction}) in a
 * child JVM: {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, the runtime's before-checkpoint hooks, its
 * {@code /runtime/restore/next} answered once init is done (at once: nothing is snapshotted here), its after-restore
 * hooks, and only then its first {@code /next}; a failing after-restore hook ({@code /runtime/restore/error}) fails the
 * environment like an init error. Without SnapStart the same runtime skips the handshake and its hooks.
 */
class SnapStartEmulationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final CapturedLog LOG = new CapturedLog();
    private static LambdaEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = new LambdaEmulator(LOG);
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private static FunctionSpec function(String name, boolean snapStart, Map<String, String> env) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", location(SnapStartFunction.class) + File.pathSeparator + location(LambdaRuntime.class),
                SnapStartFunction.class.getName());
        return new FunctionSpec(name, "[" + name + "]", InvokeMode.BUFFERED, Capacity.onDemand(1), Duration.ofSeconds(10),
                Duration.ofSeconds(30), command, Files.createTempDirectory("snap-start-task-"), env, 0, snapStart);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(URI url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.resolve("/")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int lineIndex(String... parts) {
        for (int i = 0; i < LOG.lines.size(); i++) {
            String line = LOG.lines.get(i);
            if (List.of(parts).stream().allMatch(line::contains)) {
                return i;
            }
        }
        throw new AssertionError("no log line with " + List.of(parts) + " in:\n" + String.join("\n", LOG.lines));
    }

    @Test
    void withSnapStartTheRuntimeRestoresBeforeItsFirstInvocation() throws Exception {
        URI url = emulator.addFunction(function("snap", true, Map.of("AWS_LAMBDA_FUNCTION_NAME", "snap")), 0);
        HttpResponse<String> first = get(url);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("{\"initialization_type\":\"snap-start\",\"steps\":[\"init\",\"before-checkpoint\",\"after-restore\","
                + "\"invocation\"]}", first.body(), "the hooks around the handshake, then the invocation");

        int initDone = lineIndex("[snap] env 1: init done in", "/runtime/restore/next answered at once",
                "nothing is snapshotted here");
        int ready = lineIndex("[snap] env 1: ready (init ", "ms, after-restore hooks ");
        assertTrue(initDone < ready, "init ends at the handshake, the environment is ready at its first /next");

        HttpResponse<String> warm = get(url);
        assertEquals("{\"initialization_type\":\"snap-start\",\"steps\":[\"init\",\"before-checkpoint\",\"after-restore\","
                + "\"invocation\",\"invocation\"]}", warm.body(), "a warm environment: no second restore");
    }

    @Test
    void onDemandTheSameRuntimeSkipsTheHandshakeAndItsHooks() throws Exception {
        URI url = emulator.addFunction(function("plain", false, Map.of("AWS_LAMBDA_FUNCTION_NAME", "plain")), 0);
        HttpResponse<String> response = get(url);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"initialization_type\":\"on-demand\",\"steps\":[\"init\",\"invocation\"]}", response.body());
        assertFalse(LOG.contains("[plain]", "restore"), () -> "no restore for an on-demand function:\n" + LOG.lines);
    }

    @Test
    void aFailingAfterRestoreHookFailsTheEnvironmentLikeAnInitError() throws Exception {
        URI url = emulator.addFunction(function("broken", true,
                Map.of("AWS_LAMBDA_FUNCTION_NAME", "broken", "FIXTURE_FAIL_RESTORE", "1")), 0);
        HttpResponse<String> response = get(url);
        assertEquals(502, response.statusCode(), response.body());
        assertEquals("SnapStartException", response.headers().firstValue("x-amzn-ErrorType").orElse(""),
                "the Invoke API's error for a failed after-restore hook");
        lineIndex("[broken] env 1: restore error Runtime.AfterRestoreError", "the after-restore hook failed, as asked");
        assertFalse(LOG.contains("[broken] env 1: ready"), "it never took an invocation");

        HttpResponse<String> again = get(url);
        assertEquals(502, again.statusCode(), "a new environment, which fails its restore the same way");
        lineIndex("[broken] env 2: restore error Runtime.AfterRestoreError");
    }
}
