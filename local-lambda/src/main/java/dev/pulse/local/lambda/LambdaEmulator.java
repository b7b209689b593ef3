package dev.pulse.local.lambda;

import dev.pulse.emulators.CpuShares;

import java.io.IOException;
import java.net.ServerSocket;
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
public final class LambdaEmulator implements AutoCloseable {

    private final Consumer<String> log;
    private final FunctionOutput output;
    private final CpuShares cpu;
    private final Map<String, FunctionPool> pools = new LinkedHashMap<>();
    private final List<FunctionUrlServer> fronts = new ArrayList<>();
    private final List<ServerSocket> unused = new ArrayList<>();

    /** {@code log}: the emulator's lines and, after each function's prefix, the lines the functions write. */
    public LambdaEmulator(Consumer<String> log) {
        this(log, FunctionOutput.console(log));
    }

    /** {@code output}: where the lines the functions write go instead (their log files, a formatter). */
    public LambdaEmulator(Consumer<String> log, FunctionOutput output) {
        this(log, output, CpuShares.off("not asked for"));
    }

    /** {@code cpu}: each environment's CPU share ({@link FunctionSpec#vcpus()}) during invocations, or off. */
    public LambdaEmulator(Consumer<String> log, FunctionOutput output, CpuShares cpu) {
        this.log = log;
        this.output = output;
        this.cpu = cpu;
    }

    /**
     * A Function URL's loopback port, bound now (0 = any free port) and given its function later: a function's
     * configuration may need another URL's address (its environment names another function's URL, or its CORS
     * another function's page).
     */
    public record UrlSocket(ServerSocket socket) {
        /** The URL, ending with '/' like a real Function URL. */
        public URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }

        public int port() {
            return socket.getLocalPort();
        }
    }

    public synchronized UrlSocket listen(int port) {
        ServerSocket socket = FunctionUrlServer.bind(port);
        unused.add(socket);
        return new UrlSocket(socket);
    }

    /**
     * Registers a function and opens its URL on {@code port} (0 = any free port); returns the URL (ends with '/').
     * Browsers may drive it only from its own origin.
     */
    public synchronized URI addFunction(FunctionSpec spec, int port) {
        return addFunction(spec, listen(port), OriginPolicy.ownOnly());
    }

    /**
     * Registers a function behind a socket from {@link #listen}. {@code origins} are the pages besides the URL's own
     * whose requests it takes, as its CORS configuration allows them.
     */
    public synchronized URI addFunction(FunctionSpec spec, UrlSocket socket, OriginPolicy origins) {
        return addFunction(spec, socket, origins, FrontLimits.defaults());
    }

    /** As above, with other limits than the defaults (tests that must not wait for the real timeouts). */
    synchronized URI addFunction(FunctionSpec spec, UrlSocket socket, OriginPolicy origins, FrontLimits limits) {
        if (pools.containsKey(spec.name())) {
            throw new IllegalArgumentException("function " + spec.name() + " is already registered");
        }
        FunctionPool pool = new FunctionPool(spec, log, output, cpu);
        try {
            pool.start(); // Managed Instances: the environments start now, before any request
            FunctionUrlServer front = new FunctionUrlServer(pool, socket.socket(), origins, limits, log);
            unused.remove(socket.socket());
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

    /** The child processes (runtimes) of one function's environments now running. */
    public synchronized List<ProcessHandle> processes(String functionName) {
        FunctionPool pool = pools.get(functionName);
        return pool == null ? List.of() : pool.processes();
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
        for (ServerSocket socket : unused) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        fronts.clear();
        pools.clear();
        unused.clear();
    }
}
