package dev.pulse.local.lambda;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One invocation: its event, and the response signals the runtime produces for the front to consume.
 * Exactly one terminal signal ends it ({@link Signal.Buffered}, {@link Signal.StreamEnd} or
 * {@link Signal.Failed}); anything arriving after that is ignored.
 */
final class Invocation {

    private final String requestId;
    /** Lambda-Runtime-Invocation-Id: unique per invocation, even if a request id were reused. */
    private final String invocationId = UUID.randomUUID().toString();
    private final byte[] event;
    private final Duration timeout;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final CompletableFuture<Signal> done = new CompletableFuture<>();
    private final AtomicBoolean responseStarted = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long maxQueuedBytes;
    private final Runnable onOverflow;
    private volatile long deadlineMillis;
    private volatile long handedOutNanos;
    private volatile long answeredNanos;
    private volatile boolean abandoned;
    private volatile boolean overflowed;

    /**
     * @param maxQueuedBytes streamed bytes that may wait for the front to take them; past it the client is
     *                       abandoned, {@link #overflowed()} turns true and {@code onOverflow} runs. Checked as each
     *                       chunk arrives, so the bound holds however late the front's thread gets to run.
     */
    Invocation(String requestId, byte[] event, Duration timeout, long maxQueuedBytes, Runnable onOverflow) {
        this.requestId = requestId;
        this.event = event;
        this.timeout = timeout;
        this.maxQueuedBytes = maxQueuedBytes;
        this.onOverflow = onOverflow;
    }

    String requestId() {
        return requestId;
    }

    String invocationId() {
        return invocationId;
    }

    byte[] event() {
        return event;
    }

    Duration timeout() {
        return timeout;
    }

    /** The runtime took it ({@code /next}); its timeout runs from now to {@code deadlineMillis} (epoch millis). */
    void handedOut(long deadlineMillis) {
        this.deadlineMillis = deadlineMillis;
        this.handedOutNanos = System.nanoTime();
    }

    /**
     * From {@code /next} to the first byte of the runtime's answer (a streamed response opens with its first write; a
     * buffered one is posted whole), in ms; negative before both happened.
     */
    double answerMillis() {
        return handedOutNanos == 0 || answeredNanos == 0 ? -1 : (answeredNanos - handedOutNanos) / 1e6;
    }

    /** Lambda-Runtime-Deadline-Ms: epoch millis; 0 before the runtime took it. */
    long deadlineMillis() {
        return deadlineMillis;
    }

    /** Claims the right to answer; false if a response (or a failure) is already under way. */
    boolean startResponse() {
        boolean first = responseStarted.compareAndSet(false, true) && !done.isDone();
        if (first) {
            answeredNanos = System.nanoTime();
        }
        return first;
    }

    void streamStarted(String contentType) {
        if (!done.isDone()) {
            signals.add(new Signal.StreamStart(contentType));
        }
    }

    void chunk(byte[] bytes) {
        // A client that went away does not stop the invocation (as on Lambda); its bytes are dropped.
        if (done.isDone() || abandoned) {
            return;
        }
        if (queuedBytes.addAndGet(bytes.length) > maxQueuedBytes) {
            // The client (or the front) takes bytes slower than the function writes: drop them rather than hold them.
            overflowed = true;
            abandon();
            onOverflow.run();
            return;
        }
        signals.add(new Signal.Chunk(bytes));
    }

    /** True once more bytes were waiting than the cap allowed (and were dropped). */
    boolean overflowed() {
        return overflowed;
    }

    /** @return false when the invocation had already ended (the payload is dropped) */
    boolean buffered(byte[] payload) {
        return finish(new Signal.Buffered(payload));
    }

    /** @return false when the invocation had already ended */
    boolean streamEnded() {
        return finish(new Signal.StreamEnd());
    }

    /** @return false when the invocation had already ended (this failure is dropped) */
    boolean failed(String errorType, String message, boolean environmentBroken) {
        return finish(new Signal.Failed(errorType, message, environmentBroken));
    }

    private boolean finish(Signal terminal) {
        if (done.complete(terminal)) {
            signals.add(terminal);
            return true;
        }
        return false;
    }

    /** True once the invocation has ended by its timeout: a response for it now comes too late. */
    boolean timedOut() {
        return done.getNow(null) instanceof Signal.Failed failed
                && failed.errorType().equals(LambdaErrorType.TIMED_OUT.wireName());
    }

    /** The client is gone: keep running, stop queueing bytes. */
    void abandon() {
        abandoned = true;
        signals.removeIf(signal -> signal instanceof Signal.Chunk);
        queuedBytes.set(0);
    }

    boolean isAbandoned() {
        return abandoned;
    }

    Signal next() throws InterruptedException {
        Signal signal = signals.take();
        if (signal instanceof Signal.Chunk chunk) {
            queuedBytes.addAndGet(-chunk.bytes().length);
        }
        return signal;
    }

    boolean isDone() {
        return done.isDone();
    }

    /** Completes with the terminal signal. */
    CompletableFuture<Signal> done() {
        return done;
    }
}
