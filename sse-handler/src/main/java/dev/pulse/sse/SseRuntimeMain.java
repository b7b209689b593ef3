package dev.pulse.sse;

import dev.pulse.core.DeferredStore;
import dev.pulse.core.ItemStore;
import dev.pulse.core.StoreSettings;
import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.Telemetry;
import dev.pulse.lambda.runtime.LambdaRuntime;
import dev.pulse.lambda.runtime.RuntimeLog;
import dev.pulse.sse.app.Priming;
import dev.pulse.sse.app.SseApp;
import dev.pulse.sse.app.SseConfig;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The SSE function's entry point: the settings, the store and the stream application, run on the project's own
 * streaming runtime ({@code lambda-runtime}). Started by {@code bootstrap} (the function's
 * {@code AWS_LAMBDA_EXEC_WRAPPER}) in place of the managed Java runtime, which cannot stream. The runtime's own lines
 * (a failed invocation, a lost Runtime API) are the function's JSON log lines, like every other.
 */
public final class SseRuntimeMain {

    private SseRuntimeMain() {
    }

    /** The function's role: the {@code function} of its log lines and the dimension of its metrics. */
    static final String FUNCTION = "sse";

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Telemetry telemetry = Telemetry.fromEnvironment(FUNCTION, env, System.out::println);
        LambdaRuntime runtime = new LambdaRuntime(env, runtimeLog(telemetry)).drainOnShutdown();
        System.exit(serve(runtime, env, SseRuntimeMain::openStore, telemetry));
    }

    /**
     * The table {@code PULSE_TABLE} names. One that cannot be set up does not fail init: the function starts and
     * answers 503 with the reason in its log until it can ({@link DeferredStore}), as the dashboard function does.
     */
    static ItemStore openStore(Map<String, String> env) {
        return DeferredStore.open(StoreSettings.fromEnvironment(env));
    }

    /**
     * Initialises and serves invocations until the runtime ends. Returns the process exit code: 0 after a drain, 1
     * after an init failure, 2 when the Runtime API cannot be reached, 3 after a {@link VirtualMachineError}.
     *
     * @param logLines where the function's log lines go: stdout (one JSON object per line), or a test's list
     */
    static int run(Map<String, String> env, Function<Map<String, String>, ItemStore> stores, Consumer<String> logLines) {
        Telemetry telemetry = Telemetry.fromEnvironment(FUNCTION, env, logLines);
        return serve(new LambdaRuntime(env, runtimeLog(telemetry)), env, stores, telemetry);
    }

    private static int serve(LambdaRuntime runtime, Map<String, String> env,
                             Function<Map<String, String>, ItemStore> stores, Telemetry telemetry) {
        return runtime.run(hooks -> {
            SseConfig config = SseConfig.fromEnvironment(env);
            ItemStore store = stores.apply(env);
            SseApp app = new SseApp(config, store, telemetry);
            if (Priming.enabled(env)) {
                Priming.prime(config, store);
            }
            hooks.afterRestore(app::restored);
            return app;
        });
    }

    /** The runtime's lines as the function's own: same shape, same level filter. */
    static RuntimeLog runtimeLog(Telemetry telemetry) {
        return (level, event, message, requestId, fields) -> telemetry.log(Level.valueOf(level.name()), message, line -> {
            if (requestId != null) {
                line.requestId(requestId);
            }
            line.field("event", event);
            fields.forEach(line::field);
        });
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
