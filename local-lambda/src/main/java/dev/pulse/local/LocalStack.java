package dev.pulse.local;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Emulated functions behind Function URLs: per function, a pool of execution environments (child processes,
 * each with its own Runtime API endpoint) and a loopback Function URL in front of it. Closing it kills every
 * environment it started.
 */
public final class LocalStack implements AutoCloseable {

    private final Consumer<String> log;
    private final Map<String, FunctionPool> pools = new LinkedHashMap<>();
    private final List<FunctionUrlServer> fronts = new ArrayList<>();

    public LocalStack(Consumer<String> log) {
        this.log = log;
    }

    /** Registers a function and opens its URL on {@code port} (0 = any free port); returns the URL (ends with '/'). */
    public synchronized URI addFunction(FunctionSpec spec, int port) {
        if (pools.containsKey(spec.name())) {
            throw new IllegalArgumentException("function " + spec.name() + " is already registered");
        }
        FunctionPool pool = new FunctionPool(spec, log);
        try {
            FunctionUrlServer front = new FunctionUrlServer(pool, port, log);
            pools.put(spec.name(), pool);
            fronts.add(front);
            return front.url();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Execution environments of a function now running (busy or warm). */
    public synchronized int environments(String functionName) {
        FunctionPool pool = pools.get(functionName);
        return pool == null ? 0 : pool.environments();
    }

    /** The child processes (runtimes) now running, all functions. */
    public synchronized List<ProcessHandle> processes() {
        return pools.values().stream().flatMap(pool -> pool.processes().stream()).toList();
    }

    @Override
    public synchronized void close() {
        // Fronts first (no new invocations), then the environments (their invocations fail, handlers return).
        fronts.forEach(FunctionUrlServer::close);
        pools.values().forEach(FunctionPool::close);
        fronts.clear();
        pools.clear();
    }
}
