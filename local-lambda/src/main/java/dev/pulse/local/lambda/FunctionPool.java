package dev.pulse.local.lambda;

import dev.pulse.emulators.CpuShares;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The execution environments of one function, and the slots they have ({@link Capacity}). On demand: environments
 * start when a request finds none idle, up to the reserved concurrency, and are kept warm between invocations (most
 * recently used first). Managed Instances: the environments start with {@link #start()}, each takes up to its
 * concurrency, a request goes to the least busy one, and one that exits after it was ready is replaced at once.
 * Either way, a request that finds no free slot and no room for another environment is throttled.
 */
final class FunctionPool implements AutoCloseable {

    /** Over the concurrency limit: the Function URL answers 429 at once. */
    static final class ThrottledException extends Exception {
        ThrottledException(String message) {
            super(message);
        }
    }

    private final FunctionSpec spec;
    private final Capacity capacity;
    private final Consumer<String> log;
    private final EnvironmentHost host;
    /** The running environments, most recently freed first. */
    private final Deque<ExecutionEnvironment> recent = new ArrayDeque<>();
    /** The slots each running environment has taken: reserved, invoked, or timed out and still run by its runtime. */
    private final Map<ExecutionEnvironment, Integer> busy = new HashMap<>();
    private int started;
    private boolean closed;

    FunctionPool(FunctionSpec spec, Consumer<String> log, FunctionOutput output, CpuShares cpu) {
        this.spec = spec;
        this.capacity = spec.capacity();
        this.log = log;
        this.host = new EnvironmentHost(Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name(spec.name() + "-timers").factory()), log, output, cpu);
    }

    FunctionSpec spec() {
        return spec;
    }

    /** Managed Instances: starts the environments before any request, as Lambda does when it publishes a version. */
    synchronized void start() {
        if (capacity.managedInstances()) {
            while (busy.size() < capacity.environments()) {
                startEnvironment();
            }
        }
    }

    /**
     * A slot in a warm or a new environment held for one request, taken before the request's body is read (so a
     * throttled client is answered 429 without being read): {@link #invoke} it once, or {@link #cancel} it.
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
            environment.submit(invocation, terminal -> release(environment, terminal));
            return invocation;
        }

        /** The request never became an invocation (bad body, client gone): its slot is free again. */
        void cancel() {
            if (!used) {
                used = true;
                release(environment, null);
            }
        }
    }

    /** Holds a slot for one request; throttled when every allowed environment is busy. */
    Reservation reserve() throws ThrottledException {
        return new Reservation(acquire());
    }

    private synchronized ExecutionEnvironment acquire() throws ThrottledException {
        if (closed) {
            throw new ThrottledException("the emulator is shutting down");
        }
        // The least busy running environment with a free slot; of equals, the most recently freed (warm reuse).
        ExecutionEnvironment chosen = null;
        int least = capacity.perEnvironment();
        for (ExecutionEnvironment environment : recent) {
            int taken = busy.get(environment);
            if (taken < least && environment.isAlive()) {
                chosen = environment;
                least = taken;
            }
        }
        if (chosen == null) {
            if (busy.size() >= capacity.environments()) {
                throw new ThrottledException(spec.name() + ": all " + capacity.environments() + " environments are busy"
                        + (capacity.managedInstances() ? " (" + capacity.perEnvironment() + " invocations each)" : ""));
            }
            chosen = startEnvironment();
        }
        busy.merge(chosen, 1, Integer::sum);
        return chosen;
    }

    private ExecutionEnvironment startEnvironment() {
        started++;
        ExecutionEnvironment environment = ExecutionEnvironment.start(spec, started, host, this::removed);
        busy.put(environment, 0);
        recent.addFirst(environment);
        log.accept(spec.logPrefix() + " env " + started + ": starting (" + busy.size() + "/" + capacity.environments()
                + " environments" + (capacity.managedInstances() ? ", " + capacity.perEnvironment() + " invocations each" : "")
                + ")");
        return environment;
    }

    /** {@code terminal}: how its invocation ended, or null for a slot freed otherwise (a cancel, a late answer). */
    private synchronized void release(ExecutionEnvironment environment, Signal terminal) {
        if (terminal instanceof Signal.Failed failed && failed.environmentBroken()) {
            forget(environment); // being killed: its slots are free now, not when the process is reaped
            return;
        }
        Integer taken = busy.get(environment);
        if (taken == null) {
            return; // already gone
        }
        busy.put(environment, taken - 1);
        recent.remove(environment);
        recent.addFirst(environment);
    }

    /** Its process exited (once per environment). */
    private synchronized void removed(ExecutionEnvironment environment) {
        forget(environment);
        // Lambda replaces an unhealthy Managed Instances environment; one that never got ready is not restarted in a
        // loop (a request that finds no free slot starts one, as on demand). An environment killed for a broken
        // response was forgotten at once, so a request may have started its replacement already.
        if (capacity.managedInstances() && !closed && environment.wasReady() && busy.size() < capacity.environments()) {
            log.accept(spec.logPrefix() + " an environment exited: starting another in its place");
            startEnvironment();
        }
    }

    private void forget(ExecutionEnvironment environment) {
        busy.remove(environment);
        recent.remove(environment);
    }

    /** Environments now running (busy or warm); for tests and logs. */
    synchronized int environments() {
        return busy.size();
    }

    synchronized List<ProcessHandle> processes() {
        return busy.keySet().stream().map(ExecutionEnvironment::handle).toList();
    }

    @Override
    public void close() {
        List<ExecutionEnvironment> toStop;
        synchronized (this) {
            closed = true;
            toStop = new ArrayList<>(busy.keySet());
            busy.clear();
            recent.clear();
        }
        toStop.forEach(ExecutionEnvironment::kill);
        toStop.forEach(ExecutionEnvironment::close);
        host.timers().shutdownNow();
    }
}
