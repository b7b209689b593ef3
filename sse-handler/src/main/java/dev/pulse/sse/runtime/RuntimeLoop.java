package dev.pulse.sse.runtime;

import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.Telemetry;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The runtime loop: {@code GET /invocation/next}, hand the invocation to the {@link StreamingHandler} with a
 * streaming response, end the response (or report the failure), repeat. One invocation at a time, as Lambda
 * runs an execution environment.
 *
 * <ul>
 *   <li>a failure before any response byte: {@code POST /invocation/{id}/error};</li>
 *   <li>a failure mid-stream: the error trailers end the chunked body;</li>
 *   <li>a {@link VirtualMachineError} (e.g. out of memory): reported, then the loop ends, so that Lambda starts
 *       a fresh execution environment rather than trust this JVM with the next invocation.</li>
 * </ul>
 */
public final class RuntimeLoop {

    /** Exit code when {@code /next} fails: the Runtime API is gone, nothing left to do. */
    public static final int RUNTIME_API_GONE = 2;
    /** Exit code after a {@link VirtualMachineError}. */
    public static final int JVM_BROKEN = 3;
    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    private final RuntimeApiClient runtime;
    private final StreamingHandler handler;
    private final Telemetry telemetry;

    /** {@code telemetry}: where the runtime's own lines go (a failed invocation, a lost Runtime API). */
    public RuntimeLoop(RuntimeApiClient runtime, StreamingHandler handler, Telemetry telemetry) {
        this.runtime = runtime;
        this.handler = handler;
        this.telemetry = telemetry;
    }

    /** Serves invocations until it cannot go on; returns the process exit code. */
    public int serve() {
        while (true) {
            Invocation invocation;
            try {
                invocation = runtime.next();
            } catch (IOException e) {
                telemetry.log(Level.FATAL, "GET /invocation/next failed: stopping", line -> line
                        .field("event", "runtime_stopped").field("error", e.toString()));
                return RUNTIME_API_GONE;
            }
            try {
                handle(invocation);
            } catch (VirtualMachineError e) {
                telemetry.log(Level.FATAL, "ending this execution environment (Lambda starts a new one)", line -> line
                        .requestId(invocation.requestId()).field("event", "runtime_stopped").field("error", e.toString()));
                return JVM_BROKEN;
            }
        }
    }

    void handle(Invocation invocation) {
        if (invocation.traceId() != null) {
            System.setProperty(TRACE_PROPERTY, invocation.traceId());   // as the managed runtime does
        }
        StreamingResponse response = runtime.response(invocation.requestId());
        try {
            handler.handle(invocation, response);
            response.finish();
        } catch (IOException e) {
            // The Runtime API connection broke: nothing can be reported on it.
            telemetry.log(Level.WARN, "response connection failed", line -> line.requestId(invocation.requestId())
                    .field("event", "response_failed").field("error", e.toString()));
            response.close();
        } catch (RuntimeException e) {
            report(invocation.requestId(), response, e);
        } catch (VirtualMachineError e) {
            report(invocation.requestId(), response, e);
            throw e;
        } catch (Error e) {
            report(invocation.requestId(), response, e);   // e.g. an assertion: this invocation only
        } finally {
            System.clearProperty(TRACE_PROPERTY);   // the next invocation sets its own, or has none
        }
    }

    private void report(String requestId, StreamingResponse response, Throwable failure) {
        ErrorReport report = ErrorReport.of(failure);
        StringWriter stack = new StringWriter();
        failure.printStackTrace(new PrintWriter(stack));
        telemetry.log(Level.ERROR, "invocation failed: " + report.type(), line -> line.requestId(requestId)
                .field("event", "invocation_failed").field("error_type", report.type())
                .field("error", String.valueOf(failure.getMessage())).field("stack", stack.toString()));
        try {
            if (response.started()) {
                response.fail(report);
            } else {
                runtime.invocationError(requestId, report);
            }
        } catch (IOException reportFailed) {
            telemetry.log(Level.ERROR, "could not report the error", line -> line.requestId(requestId)
                    .field("event", "report_failed").field("error", reportFailed.toString()));
            response.close();
        }
    }
}
