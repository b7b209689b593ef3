package dev.pulse.sse;

import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.ItemStore;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * The SSE function's own Lambda runtime: {@code GET /invocation/next}, answer with the streaming protocol,
 * repeat. Started by {@code bootstrap} (the function's {@code AWS_LAMBDA_EXEC_WRAPPER}), one invocation at
 * a time, as Lambda runs an execution environment.
 *
 * <ul>
 *   <li>init failure (bad settings, no table name): {@code POST /init/error}, exit 1;</li>
 *   <li>a failure before any response byte: {@code POST /invocation/{id}/error};</li>
 *   <li>a failure mid-stream: the error trailers end the chunked body.</li>
 * </ul>
 */
public final class SseRuntimeMain {

    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
    private final RuntimeApiClient runtime;
    private final SseApp app;

    SseRuntimeMain(RuntimeApiClient runtime, SseApp app) {
        this.runtime = runtime;
        this.app = app;
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), config -> {
            if (config.table() == null) {
                throw new IllegalStateException("PULSE_TABLE is not set: it names the DynamoDB table");
            }
            return new DynamoItemStore(DynamoItemStore.client(), config.table());
        }));
    }

    /**
     * Initialises and serves invocations until the Runtime API goes away. Returns the process exit code:
     * 1 after an init failure, 2 when the Runtime API cannot be reached.
     */
    static int run(Map<String, String> env, Function<SseConfig, ItemStore> stores) {
        RuntimeApiClient runtime;
        try {
            runtime = new RuntimeApiClient(env.get("AWS_LAMBDA_RUNTIME_API"));
        } catch (IllegalArgumentException e) {
            System.err.println("sse: " + e.getMessage());
            return 2;
        }
        SseApp app;
        try {
            SseConfig config = SseConfig.fromEnv(env);
            app = new SseApp(config, stores.apply(config));
        } catch (RuntimeException e) {
            System.err.println("sse: init failed: " + e);
            try {
                runtime.initError("Runtime." + e.getClass().getSimpleName(), e.getMessage());
            } catch (IOException reportFailed) {
                System.err.println("sse: could not report the init error: " + reportFailed);
            }
            return 1;
        }
        return new SseRuntimeMain(runtime, app).serve();
    }

    /**
     * The runtime loop; returns 2 when {@code /next} fails (the Runtime API is gone: nothing left to do), 3
     * after a {@link VirtualMachineError} (reported first), when this JVM cannot be trusted to go on.
     */
    int serve() {
        while (true) {
            Invocation invocation;
            try {
                invocation = runtime.next();
            } catch (IOException e) {
                System.err.println("sse: GET /invocation/next failed, stopping: " + e);
                return 2;
            }
            try {
                handle(invocation);
            } catch (VirtualMachineError e) {
                System.err.println("sse: " + e + ": ending this execution environment (Lambda starts a new one)");
                return 3;
            }
        }
    }

    void handle(Invocation invocation) {
        if (invocation.traceId() != null) {
            System.setProperty(TRACE_PROPERTY, invocation.traceId());   // as the managed runtime does
        }
        StreamingResponse response = runtime.response(invocation.requestId());
        try {
            HttpRequest request = HttpRequest.fromEvent(invocation.payload());
            app.handle(request, invocation.deadlineEpochMs(), response);
            response.finish();
        } catch (IOException e) {
            // The Runtime API connection broke (e.g. the client went away): nothing can be reported on it.
            System.err.println("sse: " + invocation.requestId() + ": response connection failed: " + e);
            response.close();
        } catch (RuntimeException e) {
            reportFailure(invocation.requestId(), response, e);
        } catch (VirtualMachineError e) {
            // Out of memory or a broken JVM: say so, then let Lambda start a fresh execution environment.
            reportFailure(invocation.requestId(), response, e);
            throw e;
        } catch (Error e) {
            reportFailure(invocation.requestId(), response, e);   // e.g. an assertion: this invocation only
        } finally {
            System.clearProperty(TRACE_PROPERTY);   // the next invocation sets its own, or has none
        }
    }

    private void reportFailure(String requestId, StreamingResponse response, Throwable e) {
        Throwable cause = e instanceof StreamSession.StreamFailedException && e.getCause() != null ? e.getCause() : e;
        String type = cause instanceof HttpRequest.InvalidEventException
                ? "Runtime.InvalidEvent" : cause.getClass().getSimpleName();
        System.err.println("sse: " + requestId + ": " + type + ": " + cause.getMessage());
        cause.printStackTrace();
        try {
            if (response.started()) {
                response.fail(type, cause.getMessage());
            } else {
                runtime.invocationError(requestId, type, cause.getMessage());
            }
        } catch (IOException reportFailed) {
            System.err.println("sse: " + requestId + ": could not report the error: " + reportFailed);
            response.close();
        }
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
