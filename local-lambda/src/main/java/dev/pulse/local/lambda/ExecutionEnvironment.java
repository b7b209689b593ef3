package dev.pulse.local.lambda;

import dev.pulse.emulators.CpuShares;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One execution environment: a child process running the function's runtime, with its own Runtime API endpoint. It
 * takes as many invocations at once as its function's {@link Capacity} says: one on demand; up to
 * {@code AWS_LAMBDA_MAX_CONCURRENCY} on Managed Instances, whose runtime asks for them with concurrent
 * {@code /next} calls. With SnapStart ({@link FunctionSpec#snapStart()}) init ends with the runtime's
 * {@code /restore/next}, which Lambda answers in an environment restored from the snapshot; here nothing is
 * snapshotted, so it is answered at once and the same process goes on (its after-restore hooks, then {@code /next}). A crash, an init error or timeout, or a broken response stream kills it (as Lambda resets an
 * environment), and so does a timeout on demand; on Managed Instances a timeout only ends the invocation for its
 * caller. A handled function error does not.
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
    /** Submitted and not ended: what a crash or an init failure fails. */
    private final Set<Invocation> inHand = ConcurrentHashMap.newKeySet();
    /** Managed Instances: invocations that timed out and that the runtime still runs, by request id: each frees its
     *  slot when the runtime answers it (with a 410) or the environment exits. Guarded by {@link #late}. */
    private final Map<String, Runnable> runningAfterTimeout = new HashMap<>();
    /** Request ids answered after their timeout before {@link #finished} noted the timeout (a race of a few
     *  microseconds: the answer sees the timeout as soon as it is set). Guarded by {@link #late}. */
    private final Set<String> answeredBeforeNoted = new HashSet<>();
    private final Object late = new Object();
    private final long startedNanos = System.nanoTime();
    private final Process process;
    /** Its CPU share: no limit during init, {@code spec.vcpus()} from the end of init on (the first {@code /next}, or
     *  with SnapStart the restore handshake). */
    private final CpuShares.Group cpu;
    private final ScheduledFuture<?> initTimer;
    private final AtomicBoolean initialised = new AtomicBoolean();
    /** SnapStart: when {@code /restore/next} was answered (init ended there); 0 until then. */
    private volatile long restoredNanos;
    private final AtomicBoolean restoreAnswered = new AtomicBoolean();
    private volatile Invocation firstInvocation;
    private volatile boolean stopping;

    private ExecutionEnvironment(FunctionSpec spec, int number, EnvironmentHost host,
                                 Consumer<ExecutionEnvironment> onExit) throws IOException {
        this.spec = spec;
        this.label = spec.logPrefix() + " env " + number;
        this.timers = host.timers();
        this.log = host.log();
        this.output = host.output();
        this.onExit = onExit;
        this.runtimeApi = new RuntimeApiServer(this, line -> log.accept(label + ": " + line));
        try {
            this.process = startProcess();
            this.cpu = host.cpu().group(spec.name() + "-env-" + number + "-" + process.pid());
            cpu.add(process.pid());   // no quota yet: init gets the burst
        } catch (IOException | RuntimeException e) {
            runtimeApi.close();
            throw e;
        }
        this.initTimer = timers.schedule(this::initTimedOut, spec.initTimeout().toMillis(), TimeUnit.MILLISECONDS);
        Thread.ofVirtual().name(label + "-output").start(this::pumpOutput);
        process.onExit().thenRun(this::exited);
    }

    /**
     * Starts the child; the environment is ready when the runtime first asks for an invocation. {@code log} gets the
     * emulator's own lines about it, {@code output} the lines the function writes.
     */
    static ExecutionEnvironment start(FunctionSpec spec, int number, EnvironmentHost host,
                                      Consumer<ExecutionEnvironment> onExit) {
        try {
            return new ExecutionEnvironment(spec, number, host, onExit);
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
        if (spec.capacity().managedInstances()) {
            env.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(spec.capacity().perEnvironment()));
        }
        // How Lambda started this environment: the runtime does SnapStart's restore handshake only when told so.
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", spec.snapStart() ? "snap-start" : "on-demand");
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

    /**
     * Hands an invocation to this environment, which holds a free slot for it. {@code slotFreed} runs once, when the
     * runtime is done with the invocation: with its terminal signal, or with null when a timed-out invocation's
     * runtime answered it at last.
     */
    void submit(Invocation invocation, Consumer<Signal> slotFreed) {
        inHand.add(invocation);
        invocation.done().whenComplete((terminal, error) -> finished(invocation, terminal, slotFreed));
        pending.add(invocation);
    }

    private void finished(Invocation invocation, Signal terminal, Consumer<Signal> slotFreed) {
        if (invocation == firstInvocation && invocation.answerMillis() >= 0) {
            log.accept(String.format(Locale.ROOT, "%s: first invocation answered %.0f ms after /next", label,
                    invocation.answerMillis()));
        }
        if (terminal instanceof Signal.Failed failed) {
            log.accept(label + ": invocation " + invocation.requestId() + " failed: " + failed.errorType() + ": "
                    + failed.message());
            if (failed.environmentBroken()) {
                inHand.remove(invocation);
                kill();
            } else if (invocation.timedOut()) {
                boolean answered;
                synchronized (late) {
                    answered = answeredBeforeNoted.remove(invocation.requestId());
                    if (!answered) {
                        runningAfterTimeout.put(invocation.requestId(), () -> slotFreed.accept(null));
                    }
                }
                inHand.remove(invocation);
                if (!answered) {
                    log.accept(label + ": the runtime goes on with " + invocation.requestId() + " (Managed Instances do "
                            + "not stop an invocation at its timeout); its slot is taken until the runtime answers it");
                    return;
                }
            }
        }
        inHand.remove(invocation);
        slotFreed.accept(terminal);
    }

    @Override
    public Invocation next() throws InterruptedException {
        markReady();
        Invocation invocation = awaitInvocation();
        invocation.handedOut(System.currentTimeMillis() + invocation.timeout().toMillis());
        synchronized (this) {
            if (firstInvocation == null) {
                firstInvocation = invocation;   // the cold start's second half: its answer's time is logged
            }
        }
        // On demand the timeout kills the environment; Managed Instances leave the invocation to the runtime.
        boolean killsEnvironment = !spec.capacity().managedInstances();
        ScheduledFuture<?> timer = timers.schedule(() -> invocation.failed(LambdaErrorType.TIMED_OUT.wireName(),
                "Task timed out after " + String.format(Locale.ROOT, "%.2f", invocation.timeout().toMillis() / 1000.0)
                        + " seconds", killsEnvironment),
                invocation.timeout().toMillis(), TimeUnit.MILLISECONDS);
        invocation.done().whenComplete((t, e) -> timer.cancel(false));
        return invocation;
    }

    /**
     * Ready when the runtime first asks for an invocation (whether one is waiting or not). Init ends there too, unless
     * SnapStart ended it earlier with the restore handshake; the init timer covers both, init and restore.
     */
    private void markReady() {
        if (initialised.compareAndSet(false, true)) {
            initTimer.cancel(false);
            long now = System.nanoTime();
            String phases;
            if (restoreAnswered.get()) {
                phases = "init " + (restoredNanos - startedNanos) / 1_000_000 + " ms, after-restore hooks "
                        + (now - restoredNanos) / 1_000_000 + " ms";
            } else {
                limitCpu();
                phases = "init " + (now - startedNanos) / 1_000_000 + " ms";
                if (spec.snapStart()) {
                    log.accept(label + ": the runtime asked for an invocation without the restore handshake "
                            + "(GET /runtime/restore/next) although AWS_LAMBDA_INITIALIZATION_TYPE=snap-start: Lambda "
                            + "would take no snapshot of it");
                }
            }
            log.accept(label + ": ready (" + phases + ", pid " + process.pid() + (spec.capacity().managedInstances()
                    ? ", AWS_LAMBDA_MAX_CONCURRENCY=" + spec.capacity().perEnvironment() : "") + ")");
        }
    }

    /** From the end of init on, the environment has its memory's CPU share; init had the burst. */
    private void limitCpu() {
        try {
            cpu.limit(spec.vcpus());
        } catch (IOException e) {
            log.accept(label + ": its CPU share could not be set (" + e.getMessage() + "): it runs unlimited");
        }
    }

    /**
     * SnapStart's end of init. Lambda would snapshot the environment here and answer in another one, restored from the
     * snapshot; here the same process goes on at once, and the line says so.
     */
    @Override
    public boolean restoreNext() {
        if (!spec.snapStart()) {
            log.accept(label + ": the runtime asked for /runtime/restore/next, but the function has no SnapStart: 403");
            return false;
        }
        if (initialised.get() || !restoreAnswered.compareAndSet(false, true)) {
            log.accept(label + ": a restore handshake after init ended: 403");
            return false;
        }
        restoredNanos = System.nanoTime();
        limitCpu();
        log.accept(label + ": init done in " + (restoredNanos - startedNanos) / 1_000_000 + " ms; /runtime/restore/next "
                + "answered at once (SnapStart: nothing is snapshotted here, the same process goes on as if restored)");
        return true;
    }

    /** An after-restore hook failed: the environment fails as at an init error, and is not reused. */
    @Override
    public boolean restoreError(String errorType, String body) {
        if (!restoreAnswered.get() || initialised.get()) {
            log.accept(label + ": a restore error outside the restore phase: 403");
            return false;
        }
        log.accept(label + ": restore error " + errorType + ": " + body);
        failAll(LambdaErrorType.SNAP_START.wireName(), errorType + ": " + body);
        kill();
        return true;
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
        failAll(LambdaErrorType.INIT_ERROR.wireName(), errorType + ": " + body);
        kill();
    }

    private void initTimedOut() {
        if (!initialised.get() && !stopping) {
            String message = "init did not finish within " + seconds(spec.initTimeout()) + " seconds";
            log.accept(label + ": " + message);
            failAll(LambdaErrorType.INIT_TIMEOUT.wireName(), message);
            kill();
        }
    }

    private void failAll(String errorType, String message) {
        for (Invocation invocation : List.copyOf(inHand)) {
            invocation.failed(errorType, message, true);
        }
    }

    @Override
    public void answeredAfterTimeout(String requestId) {
        Runnable freeSlot;
        synchronized (late) {
            freeSlot = runningAfterTimeout.remove(requestId);
            if (freeSlot == null && inHand.stream().anyMatch(invocation -> invocation.requestId().equals(requestId))) {
                answeredBeforeNoted.add(requestId);
            }
        }
        if (freeSlot != null) {
            log.accept(label + ": the runtime answered " + requestId + " after its timeout; its slot is free again");
            freeSlot.run();
        }
    }

    @Override
    public String functionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + spec.name();
    }

    private void exited() {
        runtimeApi.close();
        initTimer.cancel(false);
        cpu.close();
        if (!stopping) {
            log.accept(label + ": runtime exited with status " + process.exitValue());
        }
        for (Invocation invocation : List.copyOf(inHand)) {
            invocation.failed(LambdaErrorType.EXIT_ERROR.wireName(), "RequestId: " + invocation.requestId()
                    + " Error: Runtime exited with error: exit status " + process.exitValue(), true);
        }
        synchronized (late) {
            runningAfterTimeout.clear();
            answeredBeforeNoted.clear();
        }
        onExit.accept(this);
    }

    boolean isAlive() {
        return process.isAlive() && !stopping;
    }

    /** Whether its runtime ever asked for an invocation (an environment that never did failed at init). */
    boolean wasReady() {
        return initialised.get();
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
