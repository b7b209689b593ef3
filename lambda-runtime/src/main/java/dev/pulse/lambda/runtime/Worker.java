package dev.pulse.lambda.runtime;

import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@code /next} loop: take an invocation, call the handler, send what it returned (or report why it could
 * not), again. The runtime runs one on its own thread, or {@code AWS_LAMBDA_MAX_CONCURRENCY} of them at once.
 */
final class Worker {

    /** How a worker ended. */
    enum Exit { DRAINED, RUNTIME_API_GONE, JVM_BROKEN }

    /** The first retry of a failed {@code /next} (concurrent mode), doubled on each further one. */
    static final long FIRST_RETRY_MS = 100;
    /** Consecutive failed {@code /next} calls after which a concurrent worker stops. */
    static final int NEXT_ATTEMPTS = 5;
    static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    private final String name;
    private final RuntimeApiClient client;
    private final Handler handler;
    private final RuntimeLog log;
    /** One invocation at a time in the process: the trace header may be process-wide, as the AWS SDK reads it. */
    private final boolean alone;
    private final LambdaRuntime runtime;
    private final AtomicReference<Socket> waiting = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Context current;

    Worker(String name, RuntimeApiClient client, Handler handler, RuntimeLog log, boolean alone, LambdaRuntime runtime) {
        this.name = name;
        this.client = client;
        this.handler = handler;
        this.log = log;
        this.alone = alone;
        this.runtime = runtime;
    }

    /** Serves invocations until the runtime drains, the Runtime API is lost, or the JVM broke. */
    Exit loop() {
        try {
            int failures = 0;
            while (!runtime.draining()) {
                Invocation invocation;
                try {
                    invocation = client.next(this::waitingOn);
                    failures = 0;
                } catch (IOException e) {
                    if (runtime.draining()) {
                        return Exit.DRAINED;
                    }
                    if (alone) {
                        log.log(RuntimeLog.Level.FATAL, "runtime_stopped", "GET /invocation/next failed: stopping", null,
                                Map.of("error", e.toString()));
                        return Exit.RUNTIME_API_GONE;
                    }
                    if (++failures >= NEXT_ATTEMPTS) {
                        log.log(RuntimeLog.Level.ERROR, "worker_stopped", name + ": GET /invocation/next failed "
                                + failures + " times: this worker stops, the others go on", null, Map.of("error", e.toString()));
                        return Exit.RUNTIME_API_GONE;
                    }
                    pause(FIRST_RETRY_MS << (failures - 1));
                    continue;
                }
                current = invocation.context();
                try {
                    handle(invocation);
                } catch (VirtualMachineError e) {
                    log.log(RuntimeLog.Level.FATAL, "runtime_stopped",
                            "ending this execution environment (Lambda starts a new one)",
                            invocation.context().requestId(), Map.of("error", e.toString()));
                    return Exit.JVM_BROKEN;
                } finally {
                    current = null;
                }
            }
            return Exit.DRAINED;
        } finally {
            done.countDown();
        }
    }

    /** The invocation in flight, or null. */
    Context current() {
        return current;
    }

    CountDownLatch done() {
        return done;
    }

    /** Stops waiting for work: a {@code /next} in progress is cut, so the loop sees the drain. */
    void stopAsking() {
        closeQuietly(waiting.get());
    }

    private void waitingOn(Socket socket) {
        waiting.set(socket);
        if (socket != null && runtime.draining()) {
            closeQuietly(socket);   // the drain began before this /next connected
        }
    }

    void handle(Invocation invocation) {
        Context context = invocation.context();
        if (alone && context.traceId() != null) {
            System.setProperty(TRACE_PROPERTY, context.traceId());   // as the managed runtime does
        }
        try {
            Response response;
            try {
                response = handler.handle(invocation.event(), context);
            } catch (Throwable failure) {
                report(context, null, ErrorReport.of(failure), failure);
                rethrowIfFatal(failure);
                return;
            }
            if (response == null) {
                IllegalStateException failure = new IllegalStateException("the handler returned null");
                report(context, null, new ErrorReport(ErrorType.NO_RESPONSE.wireName(), failure.getMessage()), failure);
                return;
            }
            switch (response) {
                case Response.Buffered buffered -> respond(context, buffered);
                case Response.Streaming streaming -> stream(context, streaming);
            }
        } finally {
            if (alone) {
                System.clearProperty(TRACE_PROPERTY);   // the next invocation sets its own, or has none
            }
        }
    }

    private void respond(Context context, Response.Buffered response) {
        try {
            client.respond(context, response);
        } catch (IOException e) {
            connectionFailed(context, e);
        }
    }

    private void stream(Context context, Response.Streaming response) {
        StreamedResponse out = client.stream(context, response);
        try {
            response.body().writeTo(out);
            out.finish();
        } catch (Throwable failure) {
            if (failure instanceof IOException e && e == out.broken()) {
                connectionFailed(context, e);   // nothing can be reported on a broken connection
                out.close();
                return;
            }
            report(context, out, ErrorReport.of(failure), failure);
            rethrowIfFatal(failure);
        }
    }

    /**
     * A failed invocation: logged with its stack, then told to Lambda: to {@code /error} before any response byte,
     * in the trailers after.
     */
    private void report(Context context, StreamedResponse out, ErrorReport report, Throwable failure) {
        log.log(RuntimeLog.Level.ERROR, "invocation_failed", "invocation failed: " + report.type(), context.requestId(),
                Map.of("error_type", report.type(), "error", String.valueOf(failure.getMessage()),
                        "stack", RuntimeLog.stackOf(failure)));
        try {
            if (out != null && out.started()) {
                out.fail(report);
            } else {
                client.invocationError(context, report);
            }
        } catch (InvocationGoneException gone) {
            connectionFailed(context, gone);
        } catch (IOException reportFailed) {
            log.log(RuntimeLog.Level.ERROR, "report_failed", "could not report the error", context.requestId(),
                    Map.of("error", reportFailed.toString()));
        } finally {
            if (out != null) {
                out.close();
            }
        }
    }

    /** The Runtime API refused the answer (410: the invocation timed out) or the connection broke. */
    private void connectionFailed(Context context, IOException e) {
        if (e instanceof InvocationGoneException) {
            log.log(RuntimeLog.Level.WARN, "invocation_gone", "the invocation timed out before its answer: dropped",
                    context.requestId(), Map.of("error", e.getMessage()));
        } else {
            log.log(RuntimeLog.Level.WARN, "response_failed", "response connection failed", context.requestId(),
                    Map.of("error", e.toString()));
        }
    }

    /** A {@link VirtualMachineError} ends the worker once reported: this JVM is not trusted with more work. */
    private static void rethrowIfFatal(Throwable failure) {
        if (failure instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing to cut a wait: nothing else to do
            }
        }
    }
}
