package dev.pulse.local;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One invocation: its event, and the response signals the runtime produces for the front to consume.
 * Exactly one terminal signal ends it ({@link Signal.Buffered}, {@link Signal.StreamEnd} or
 * {@link Signal.Failed}); anything arriving after that is ignored.
 */
final class Invocation {

    private final String requestId;
    private final byte[] event;
    private final Duration timeout;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final CompletableFuture<Signal> done = new CompletableFuture<>();
    private final AtomicBoolean responseStarted = new AtomicBoolean();
    private volatile boolean abandoned;

    Invocation(String requestId, byte[] event, Duration timeout) {
        this.requestId = requestId;
        this.event = event;
        this.timeout = timeout;
    }

    String requestId() {
        return requestId;
    }

    byte[] event() {
        return event;
    }

    Duration timeout() {
        return timeout;
    }

    /** Claims the right to answer; false if a response (or a failure) is already under way. */
    boolean startResponse() {
        return responseStarted.compareAndSet(false, true) && !done.isDone();
    }

    void streamStarted(String contentType) {
        if (!done.isDone()) {
            signals.add(new Signal.StreamStart(contentType));
        }
    }

    void chunk(byte[] bytes) {
        // A client that went away does not stop the invocation (as on Lambda); its bytes are dropped.
        if (!done.isDone() && !abandoned) {
            signals.add(new Signal.Chunk(bytes));
        }
    }

    void buffered(byte[] payload) {
        finish(new Signal.Buffered(payload));
    }

    void streamEnded() {
        finish(new Signal.StreamEnd());
    }

    void failed(String errorType, String message, boolean environmentBroken) {
        finish(new Signal.Failed(errorType, message, environmentBroken));
    }

    private void finish(Signal terminal) {
        if (done.complete(terminal)) {
            signals.add(terminal);
        }
    }

    /** The client is gone: keep running, stop queueing bytes. */
    void abandon() {
        abandoned = true;
        signals.removeIf(signal -> signal instanceof Signal.Chunk);
    }

    Signal next() throws InterruptedException {
        return signals.take();
    }

    boolean isDone() {
        return done.isDone();
    }

    /** Completes with the terminal signal. */
    CompletableFuture<Signal> done() {
        return done;
    }
}
