package dev.pulse.local.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One execution environment: a child process running the function's runtime, with its own Runtime API
 * endpoint. It handles one invocation at a time. A timeout, a crash, an init error or a broken response
 * stream kills it (as Lambda resets an environment); a handled function error does not.
 */
final class ExecutionEnvironment implements RuntimeApi, AutoCloseable {

    private final FunctionSpec spec;
    private final String label;
    private final ScheduledExecutorService timers;
    private final Consumer<String> log;
    private final FunctionOutput output;
    private final Consumer<ExecutionEnvironment> onExit;
    private final RuntimeApiServer runtimeApi;
    private final LinkedBlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final long startedNanos = System.nanoTime();
    private final Process process;
    private volatile Invocation active;
    private volatile long activeDeadline;
    private volatile boolean initialised;
    private volatile boolean stopping;

    private ExecutionEnvironment(FunctionSpec spec, int number, ScheduledExecutorService timers, Consumer<String> log,
                                 FunctionOutput output, Consumer<ExecutionEnvironment> onExit) throws IOException {
        this.spec = spec;
        this.label = spec.logPrefix() + " env " + number;
        this.timers = timers;
        this.log = log;
        this.output = output;
        this.onExit = onExit;
        this.runtimeApi = new RuntimeApiServer(this, line -> log.accept(label + ": " + line));
        try {
            this.process = startProcess();
        } catch (IOException | RuntimeException e) {
            runtimeApi.close();
            throw e;
        }
        Thread.ofVirtual().name(label + "-output").start(this::pumpOutput);
        process.onExit().thenRun(this::exited);
    }

    /**
     * Starts the child; the environment is ready when the runtime first asks for an invocation. {@code log} gets the
     * emulator's own lines about it, {@code output} the lines the function writes.
     */
    static ExecutionEnvironment start(FunctionSpec spec, int number, ScheduledExecutorService timers,
                                      Consumer<String> log, FunctionOutput output, Consumer<ExecutionEnvironment> onExit) {
        try {
            return new ExecutionEnvironment(spec, number, timers, log, output, onExit);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an execution environment of " + spec.name()
                    + " (" + String.join(" ", spec.command()) + "): " + e.getMessage(), e);
        }
    }

    private Process startProcess() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .directory(spec.taskRoot().toFile())
                .redirectErrorStream(true);
        // A Lambda environment does not inherit the caller's environment: only what the function is given.
        var env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        if (path != null) {
            env.put("PATH", path);
        }
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.putAll(spec.env());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
        return builder.start();
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.line(spec, line);
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    /** Hands an invocation to this (idle or starting) environment. */
    void submit(Invocation invocation) {
        active = invocation;
        invocation.done().whenComplete((terminal, error) -> finished(invocation, terminal));
        pending.add(invocation);
        if (!initialised) {
            ScheduledFuture<?> initTimer = timers.schedule(() -> {
                if (!initialised && !invocation.isDone()) {
                    log.accept(label + ": init did not finish within " + seconds(spec.initTimeout()) + " s");
                    invocation.failed(LambdaErrorType.INIT_TIMEOUT.wireName(), "init did not finish within "
                            + seconds(spec.initTimeout()) + " seconds", true);
                }
            }, spec.initTimeout().toMillis(), TimeUnit.MILLISECONDS);
            invocation.done().whenComplete((t, e) -> initTimer.cancel(false));
        }
    }

    private void finished(Invocation invocation, Signal terminal) {
        if (terminal instanceof Signal.Failed failed) {
            log.accept(label + ": invocation " + invocation.requestId() + " failed: " + failed.errorType() + ": "
                    + failed.message());
            if (failed.environmentBroken()) {
                kill();
            }
        }
        if (active == invocation) {
            active = null;
        }
    }

    @Override
    public Invocation next() throws InterruptedException {
        Invocation invocation = awaitInvocation();
        if (!initialised) {
            initialised = true;
            log.accept(label + ": ready (init " + (System.nanoTime() - startedNanos) / 1_000_000 + " ms, pid "
                    + process.pid() + ")");
        }
        activeDeadline = System.currentTimeMillis() + invocation.timeout().toMillis();
        ScheduledFuture<?> timer = timers.schedule(() -> invocation.failed(LambdaErrorType.TIMED_OUT.wireName(),
                "Task timed out after " + String.format(Locale.ROOT, "%.2f", invocation.timeout().toMillis() / 1000.0)
                        + " seconds", true),
                invocation.timeout().toMillis(), TimeUnit.MILLISECONDS);
        invocation.done().whenComplete((t, e) -> timer.cancel(false));
        return invocation;
    }

    private Invocation awaitInvocation() throws InterruptedException {
        while (true) {
            Invocation invocation = pending.poll(1, TimeUnit.SECONDS);
            if (invocation != null) {
                return invocation;
            }
            if (!process.isAlive() || stopping) {
                throw new InterruptedException("environment stopped"); // frees the waiting connection thread
            }
        }
    }

    @Override
    public void initError(String errorType, String body) {
        log.accept(label + ": init error " + errorType + ": " + body);
        Invocation invocation = active;
        if (invocation != null) {
            invocation.failed(LambdaErrorType.INIT_ERROR.wireName(), errorType + ": " + body, true);
        } else {
            kill();
        }
    }

    @Override
    public long deadlineMillis(Invocation invocation) {
        return activeDeadline;
    }

    @Override
    public String functionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + spec.name();
    }

    private void exited() {
        runtimeApi.close();
        if (!stopping) {
            log.accept(label + ": runtime exited with status " + process.exitValue());
        }
        Invocation invocation = active;
        if (invocation != null) {
            invocation.failed(LambdaErrorType.EXIT_ERROR.wireName(), "RequestId: " + invocation.requestId()
                    + " Error: Runtime exited with error: exit status " + process.exitValue(), true);
        }
        onExit.accept(this);
    }

    boolean isAlive() {
        return process.isAlive() && !stopping;
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Kills the runtime and anything it started (Lambda does not ask a runtime nicely either). */
    void kill() {
        stopping = true;
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        kill();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtimeApi.close();
    }

    private static String seconds(Duration duration) {
        return Long.toString(duration.toSeconds());
    }
}
