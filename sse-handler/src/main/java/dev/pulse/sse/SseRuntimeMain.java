package dev.pulse.sse;

import dev.pulse.core.ItemStore;
import dev.pulse.core.StoreSettings;
import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.Telemetry;
import dev.pulse.sse.app.SseApp;
import dev.pulse.sse.app.SseConfig;
import dev.pulse.sse.runtime.RuntimeApiClient;
import dev.pulse.sse.runtime.RuntimeLoop;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The SSE function's entry point: wires the settings, the store and the stream application to the runtime
 * loop. Started by {@code bootstrap} (the function's {@code AWS_LAMBDA_EXEC_WRAPPER}) in place of the managed
 * Java runtime, which cannot stream. An init failure (bad settings, no table name) goes to
 * {@code POST /init/error} and the process exits 1.
 */
public final class SseRuntimeMain {

    private SseRuntimeMain() {
    }

    /** The function's role: the {@code function} of its log lines and the dimension of its metrics. */
    static final String FUNCTION = "sse";

    public static void main(String[] args) {
        System.exit(run(System.getenv(), env -> StoreSettings.fromEnvironment(env).open(),
                line -> System.out.println(line)));
    }

    /**
     * Initialises and serves invocations until the runtime loop ends. Returns the process exit code: 1 after an
     * init failure, 2 when the Runtime API cannot be reached, 3 after a {@link VirtualMachineError}.
     *
     * @param logLines where the function's log lines go: stdout (one JSON object per line), or a test's list
     */
    static int run(Map<String, String> env, Function<Map<String, String>, ItemStore> stores, Consumer<String> logLines) {
        Telemetry telemetry = Telemetry.fromEnvironment(FUNCTION, env, logLines);
        RuntimeApiClient runtime;
        try {
            runtime = new RuntimeApiClient(env.get("AWS_LAMBDA_RUNTIME_API"));
        } catch (IllegalArgumentException e) {
            telemetry.log(Level.FATAL, "no Runtime API", line -> line.field("event", "init_failed").field("error", e.getMessage()));
            return RuntimeLoop.RUNTIME_API_GONE;
        }
        SseApp app;
        try {
            app = new SseApp(SseConfig.fromEnvironment(env), stores.apply(env), telemetry);
        } catch (RuntimeException e) {
            telemetry.log(Level.FATAL, "init failed", line -> line.field("event", "init_failed").field("error", e.toString()));
            try {
                runtime.initError(e);
            } catch (IOException reportFailed) {
                telemetry.log(Level.FATAL, "could not report the init error", line -> line
                        .field("event", "report_failed").field("error", reportFailed.toString()));
            }
            return 1;
        }
        return new RuntimeLoop(runtime, app, telemetry).serve();
    }

    /**
     * The handler string Terraform sets ({@code dev.pulse.sse.SseRuntimeMain::handleRequest}) for the managed
     * java21 runtime. It is never called: {@code AWS_LAMBDA_EXEC_WRAPPER=/var/task/bootstrap} replaces the
     * managed runtime client with {@link #main}. If it is called, the wrapper is missing, and we say so.
     */
    public String handleRequest(Map<String, Object> event) {
        throw new IllegalStateException("the SSE function must run through its own streaming runtime: set "
                + "AWS_LAMBDA_EXEC_WRAPPER=/var/task/bootstrap on the function");
    }
}
