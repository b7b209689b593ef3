package dev.pulse.sse;

import dev.pulse.core.ItemStore;
import dev.pulse.core.StoreSettings;
import dev.pulse.sse.app.SseApp;
import dev.pulse.sse.app.SseConfig;
import dev.pulse.sse.runtime.RuntimeApiClient;
import dev.pulse.sse.runtime.RuntimeLoop;

import java.io.IOException;
import java.util.Map;
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

    public static void main(String[] args) {
        System.exit(run(System.getenv(), env -> StoreSettings.fromEnvironment(env).open()));
    }

    /**
     * Initialises and serves invocations until the runtime loop ends. Returns the process exit code: 1 after an
     * init failure, 2 when the Runtime API cannot be reached, 3 after a {@link VirtualMachineError}.
     */
    static int run(Map<String, String> env, Function<Map<String, String>, ItemStore> stores) {
        RuntimeApiClient runtime;
        try {
            runtime = new RuntimeApiClient(env.get("AWS_LAMBDA_RUNTIME_API"));
        } catch (IllegalArgumentException e) {
            System.err.println("sse: " + e.getMessage());
            return RuntimeLoop.RUNTIME_API_GONE;
        }
        SseApp app;
        try {
            app = new SseApp(SseConfig.fromEnvironment(env), stores.apply(env));
        } catch (RuntimeException e) {
            System.err.println("sse: init failed: " + e);
            try {
                runtime.initError(e);
            } catch (IOException reportFailed) {
                System.err.println("sse: could not report the init error: " + reportFailed);
            }
            return 1;
        }
        return new RuntimeLoop(runtime, app).serve();
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
