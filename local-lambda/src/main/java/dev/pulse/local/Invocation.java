package dev.pulse.local;

import java.time.Duration;
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
    private final byte[] event;
    private final Duration timeout;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final CompletableFuture<Signal> done = new CompletableFuture<>();
    private final AtomicBoolean responseStarted = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile long maxQueuedBytes = Long.MAX_VALUE;
    private volatile Runnable onOverflow = () -> { };
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
        if (done.isDone() || abandoned) {
            return;
        }
        if (queuedBytes.addAndGet(bytes.length) > maxQueuedBytes) {
            // The client reads slower than the function writes: cut it off rather than hold its bytes.
            abandon();
            onOverflow.run();
            return;
        }
        signals.add(new Signal.Chunk(bytes));
    }

    /**
     * Caps the streamed bytes waiting for the front to relay them: past {@code maxBytes} the client is
     * abandoned and {@code overflow} runs (the front closes the client's connection).
     */
    void limitQueue(long maxBytes, Runnable overflow) {
        this.onOverflow = overflow;
        this.maxQueuedBytes = maxBytes;
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
