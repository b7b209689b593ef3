package dev.pulse.local;

import dev.pulse.local.lambda.CapturedLog;
import dev.pulse.local.lambda.FunctionSpec;
import dev.pulse.local.lambda.InvokeMode;
import dev.pulse.local.lambda.LambdaEmulator;
import dev.pulse.local.lambda.fixture.PojoHandler;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The official runtime interface client (as the dashboard runs) against our Runtime API, with a fixture handler. */
class RuntimeInterfaceClientTest {

    /** The fixture handler in a task root of its own, run by the RIC as the managed java21 runtime runs it. */
    private static FunctionSpec ricFunction(String name) throws Exception {
        Path taskRoot = Files.createTempDirectory("ric-task-");
        Path runtimeDir = Files.createTempDirectory("ric-runtime-");
        String classFile = PojoHandler.class.getName().replace('.', '/') + ".class";
        Path target = taskRoot.resolve(classFile);
        Files.createDirectories(target.getParent());
        try (var in = PojoHandler.class.getClassLoader().getResourceAsStream(classFile)) {
            Files.copy(in, target);
        }
        String handler = PojoHandler.class.getName() + "::handleRequest";
        return new FunctionSpec(name, "[" + name + "]", InvokeMode.BUFFERED, 1, Duration.ofSeconds(20),
                Duration.ofSeconds(30), ManagedRuntime.ricCommand(handler, 256, runtimeDir, null), taskRoot,
                Map.of("AWS_LAMBDA_FUNCTION_NAME", name, "_HANDLER", handler, "LAMBDA_TASK_ROOT", taskRoot.toString()));
    }

    @Test
    void theManagedRuntimePathAnswersAndReportsErrors() throws Exception {
        FunctionSpec spec = ricFunction("ric-check");
        HttpClient http = HttpClient.newHttpClient();
        CapturedLog log = new CapturedLog();
        try (LambdaEmulator stack = new LambdaEmulator(log)) {
            URI url = stack.addFunction(spec, 0);
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(url.resolve("hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("pojo saw /hello from ric-check", ok.body());
            assertEquals("text/plain", ok.headers().firstValue("content-type").orElse(""));

            HttpResponse<String> failed = http.send(HttpRequest.newBuilder(url.resolve("throw")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(502, failed.statusCode());
            assertEquals(true, log.contains("IllegalStateException"), "the function error is logged");

            HttpResponse<String> again = http.send(HttpRequest.newBuilder(url.resolve("again")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), "a handled error keeps the environment");
            assertEquals(1, stack.environments("ric-check"));
            // RIC 2.10.1 does not send Lambda-Runtime-Invocation-Id back: its answers are taken by request id, and
            // the environment says so once, not once per answer.
            assertEquals(1, log.lines.stream().filter(line -> line.contains("[ric-check] env 1: the runtime does not send "
                    + "Lambda-Runtime-Invocation-Id back; responses are matched by request id only")).count(), log.lines.toString());
        }
    }

    /**
     * SnapStart as the dashboard gets it: the RIC sees {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, runs its CRaC
     * context's before-checkpoint hooks, asks {@code /runtime/restore/next}, runs the after-restore hooks, and only then
     * takes invocations.
     */
    @Test
    void theRuntimeInterfaceClientDoesTheRestoreHandshakeWithItsHooks() throws Exception {
        FunctionSpec spec = ricFunction("ric-snap").withSnapStart(true);
        CapturedLog log = new CapturedLog();
        try (LambdaEmulator stack = new LambdaEmulator(log)) {
            URI url = stack.addFunction(spec, 0);
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("snap-start"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("snap-start [beforeCheckpoint, afterRestore]", answer.body());
            assertEquals(true, log.contains("[ric-snap] env 1: init done in", "/runtime/restore/next answered at once"),
                    log.lines::toString);
        }
    }
}
