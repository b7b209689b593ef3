package dev.pulse.local.lambda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The execution environments of one function: started on demand up to the reserved concurrency,
 * kept warm between invocations (most recently used first), removed when they die.
 */
final class FunctionPool implements AutoCloseable {

    /** Over the concurrency limit: the Function URL answers 429 at once. */
    static final class ThrottledException extends Exception {
        ThrottledException(String message) {
            super(message);
        }
    }

    private final FunctionSpec spec;
    private final Consumer<String> log;
    private final FunctionOutput output;
    private final ScheduledExecutorService timers;
    private final Deque<ExecutionEnvironment> idle = new ArrayDeque<>();
    private final Set<ExecutionEnvironment> all = new HashSet<>();
    private int started;
    private boolean closed;

    FunctionPool(FunctionSpec spec, Consumer<String> log, FunctionOutput output) {
        this.spec = spec;
        this.log = log;
        this.output = output;
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name(spec.name() + "-timers").factory());
    }

    FunctionSpec spec() {
        return spec;
    }

    /**
     * An environment held for one request, taken before the request's body is read (so a throttled client
     * is answered 429 without being read): {@link #invoke} it once, or {@link #cancel} it.
     */
    final class Reservation {
        private final ExecutionEnvironment environment;
        private boolean used;

        private Reservation(ExecutionEnvironment environment) {
            this.environment = environment;
        }

        /** Starts the invocation; see {@link Invocation} for {@code maxQueuedBytes} and {@code onOverflow}. */
        Invocation invoke(String requestId, byte[] event, long maxQueuedBytes, Runnable onOverflow) {
            if (used) {
                throw new IllegalStateException("a reservation is used once");
            }
            used = true;
            Invocation invocation = new Invocation(requestId, event, spec.timeout(), maxQueuedBytes, onOverflow);
            invocation.done().whenComplete((terminal, error) -> release(environment, terminal));
            environment.submit(invocation);
            return invocation;
        }

        /** The request never became an invocation (bad body, client gone): the environment is free again. */
        void cancel() {
            if (!used) {
                used = true;
                release(environment, null);
            }
        }
    }

    /** Holds a warm or a new environment for one request; throttled when every allowed one is busy. */
    Reservation reserve() throws ThrottledException {
        return new Reservation(acquire());
    }

    private synchronized ExecutionEnvironment acquire() throws ThrottledException {
        if (closed) {
            throw new ThrottledException("the local stack is shutting down");
        }
        ExecutionEnvironment environment;
        while ((environment = idle.pollFirst()) != null) {
            if (environment.isAlive()) {
                return environment;
            }
        }
        if (all.size() >= spec.concurrency()) {
            throw new ThrottledException(spec.name() + ": all " + spec.concurrency() + " environments are busy");
        }
        started++;
        environment = ExecutionEnvironment.start(spec, started, timers, log, output, this::removed);
        all.add(environment);
        log.accept(spec.logPrefix() + " env " + started + ": starting (" + all.size() + "/" + spec.concurrency()
                + " environments)");
        return environment;
    }

    private synchronized void release(ExecutionEnvironment environment, Signal terminal) {
        boolean broken = terminal instanceof Signal.Failed failed && failed.environmentBroken();
        if (broken) {
            all.remove(environment); // being killed: its slot is free now, not when the process is reaped
            idle.remove(environment);
            return;
        }
        if (!closed && environment.isAlive() && all.contains(environment)) {
            idle.addFirst(environment);
        }
    }

    private synchronized void removed(ExecutionEnvironment environment) {
        all.remove(environment);
        idle.remove(environment);
    }

    /** Environments now running (busy or warm); for tests and logs. */
    synchronized int environments() {
        return all.size();
    }

    synchronized List<ProcessHandle> processes() {
        return all.stream().map(ExecutionEnvironment::handle).toList();
    }

    @Override
    public void close() {
        List<ExecutionEnvironment> toStop;
        synchronized (this) {
            closed = true;
            toStop = new ArrayList<>(all);
            idle.clear();
        }
        toStop.forEach(ExecutionEnvironment::kill);
        toStop.forEach(ExecutionEnvironment::close);
        timers.shutdownNow();
    }
}
