package dev.pulse.lambda.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Java runtime for AWS Lambda: init, then {@code /next} → handler → response, for as long as the environment lives.
 *
 * <ul>
 *   <li><b>Init</b>: the {@link Init} builds the handler once; what it throws goes to {@code /runtime/init/error}.
 *       With {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} the before-checkpoint {@link Hooks} run, then the
 *       restore handshake ({@code /runtime/restore/next}), then the after-restore hooks (a failure goes to
 *       {@code /runtime/restore/error}).</li>
 *   <li><b>Concurrency</b>: {@code AWS_LAMBDA_MAX_CONCURRENCY} above 1 (Lambda Managed Instances) starts that many
 *       workers on virtual threads, each its own {@code /next} loop: a stream that mostly waits costs a thread. A
 *       handler's failure is its invocation's; a worker that loses the Runtime API retries, then stops alone. Unset or
 *       1: one loop on the calling thread, which stops on the first lost {@code /next}.</li>
 *   <li><b>Trace id</b>: every invocation's is in its {@link Context}. With one invocation at a time it is also the
 *       {@code com.amazonaws.xray.traceHeader} system property during the invocation, as the managed Java runtime
 *       sets it for the AWS SDK and X-Ray; with more, nothing process-wide is set.</li>
 *   <li><b>Drain</b> ({@link #drain}, on SIGTERM with {@link #drainOnShutdown}): no more {@code /next}; invocations in
 *       flight finish, up to their deadlines.</li>
 *   <li><b>A broken JVM</b>: after a {@link VirtualMachineError} (say, out of memory) is reported, the runtime takes no
 *       more work and exits 3, so that Lambda starts a fresh environment.</li>
 * </ul>
 */
public final class LambdaRuntime {

    /** Exit code: init failed (the handler, a setting, or a SnapStart hook), and Lambda was told. */
    public static final int INIT_FAILED = 1;
    /** Exit code: the Runtime API could not be reached, or went away. */
    public static final int RUNTIME_API_GONE = 2;
    /** Exit code: a {@link VirtualMachineError} was reported; this JVM takes no more work. */
    public static final int JVM_BROKEN = 3;
    /** How long a drain waits for an invocation that has no deadline. */
    static final long DRAIN_WITHOUT_DEADLINE_MS = 10_000;

    private final Map<String, String> env;
    private final RuntimeLog log;
    private final Hooks hooks = new Hooks();
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private volatile boolean draining;

    /** A runtime on {@code env} (Lambda's variables), saying what happens to it on {@code log}. */
    public LambdaRuntime(Map<String, String> env, RuntimeLog log) {
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /** A runtime on the process's environment, logging JSON lines to stdout. */
    public static LambdaRuntime fromEnvironment() {
        return new LambdaRuntime(System.getenv(), RuntimeLog.jsonLines(System.out));
    }

    /** Runs {@code handler} until the environment ends; exits the process with the runtime's code. */
    public static void start(Handler handler) {
        start(hooks -> handler);
    }

    /** Runs the function {@code init} builds until the environment ends; exits the process with the runtime's code. */
    public static void start(Init init) {
        LambdaRuntime runtime = fromEnvironment().drainOnShutdown();
        System.exit(runtime.run(init));
    }

    /** Drains when the JVM is asked to stop (SIGTERM, which Lambda sends before it ends an environment). */
    public LambdaRuntime drainOnShutdown() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("lambda-runtime-drain").unstarted(this::drain));
        return this;
    }

    /**
     * Initialises and serves invocations until the runtime drains or cannot go on. Returns the exit code: 0 after a
     * drain, else {@link #INIT_FAILED}, {@link #RUNTIME_API_GONE} or {@link #JVM_BROKEN}.
     */
    public int run(Init init) {
        String endpoint = env.get("AWS_LAMBDA_RUNTIME_API");
        RuntimeApiClient client;
        try {
            client = new RuntimeApiClient(endpoint == null ? "" : endpoint.strip());
        } catch (IllegalArgumentException e) {
            log.log(RuntimeLog.Level.FATAL, "init_failed", "no Runtime API: " + e.getMessage(), null, Map.of());
            return RUNTIME_API_GONE;
        }
        RuntimeSettings settings;
        Handler handler;
        try {
            settings = RuntimeSettings.fromEnvironment(env);
            handler = init.init(hooks);
            if (handler == null) {
                throw new IllegalStateException("init returned no handler");
            }
        } catch (Throwable e) {
            return initFailed(client, ErrorReport.ofInit(e), e, false);
        }
        if (settings.snapStart()) {
            int code = restoreHandshake(client);
            if (code != 0) {
                return code;
            }
        }
        return serve(client, handler, settings.maxConcurrency());
    }

    /**
     * Stops taking work and waits for the invocations in flight to finish, up to the latest of their deadlines. Safe to
     * call from any thread, more than once.
     */
    public void drain() {
        if (!draining) {
            draining = true;
            log.log(RuntimeLog.Level.INFO, "draining", "stopping: no new invocations, " + inFlight()
                    + " in flight finish first", null, Map.of());
        }
        workers.forEach(Worker::stopAsking);
        long waitUntil = System.currentTimeMillis();
        for (Worker worker : workers) {
            Context current = worker.current();
            if (current != null) {
                long until = current.deadlineEpochMs() > 0 ? current.deadlineEpochMs()
                        : System.currentTimeMillis() + DRAIN_WITHOUT_DEADLINE_MS;
                waitUntil = Math.max(waitUntil, until);
            }
        }
        for (Worker worker : workers) {
            try {
                worker.done().await(Math.max(0, waitUntil - System.currentTimeMillis()) + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    boolean draining() {
        return draining;
    }

    private int inFlight() {
        return (int) workers.stream().filter(w -> w.current() != null).count();
    }

    private int serve(RuntimeApiClient client, Handler handler, int concurrency) {
        if (concurrency == 1) {
            Worker worker = new Worker("worker-1", client, handler, log, true, this);
            workers.add(worker);
            if (draining) {
                return 0;
            }
            return exitCode(List.of(worker.loop()));
        }
        List<Worker.Exit> exits = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= concurrency; i++) {
            Worker worker = new Worker("worker-" + i, client, handler, log, false, this);
            workers.add(worker);
            threads.add(Thread.ofVirtual().name("lambda-worker-" + i).unstarted(() -> {
                Worker.Exit exit = worker.loop();
                exits.add(exit);
                if (exit == Worker.Exit.JVM_BROKEN) {
                    draining = true;   // no more work for this JVM; the others finish what they hold
                    workers.forEach(Worker::stopAsking);
                }
            }));
        }
        log.log(RuntimeLog.Level.INFO, "workers_started", concurrency + " workers, one /next loop each", null, Map.of());
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RUNTIME_API_GONE;
            }
        }
        return exitCode(exits);
    }

    private static int exitCode(List<Worker.Exit> exits) {
        if (exits.contains(Worker.Exit.JVM_BROKEN)) {
            return JVM_BROKEN;
        }
        return exits.contains(Worker.Exit.DRAINED) ? 0 : RUNTIME_API_GONE;
    }

    /** SnapStart: the before-checkpoint hooks, the handshake that returns after a restore, the after-restore hooks. */
    private int restoreHandshake(RuntimeApiClient client) {
        try {
            hooks.runBeforeCheckpoint();
        } catch (Throwable e) {
            return initFailed(client, ErrorReport.of(ErrorType.BEFORE_CHECKPOINT, e), e, false);
        }
        try {
            client.restoreNext();
        } catch (IOException e) {
            log.log(RuntimeLog.Level.FATAL, "runtime_stopped", "GET /restore/next failed: stopping", null,
                    Map.of("error", e.toString()));
            return RUNTIME_API_GONE;
        }
        try {
            hooks.runAfterRestore();
        } catch (Throwable e) {
            return initFailed(client, ErrorReport.of(ErrorType.AFTER_RESTORE, e), e, true);
        }
        return 0;
    }

    private int initFailed(RuntimeApiClient client, ErrorReport report, Throwable cause, boolean restoring) {
        log.log(RuntimeLog.Level.FATAL, "init_failed", (restoring ? "restore failed: " : "init failed: ") + report.type(),
                null, Map.of("error", cause.toString(), "stack", RuntimeLog.stackOf(cause)));
        try {
            if (restoring) {
                client.restoreError(report);
            } else {
                client.initError(report);
            }
        } catch (IOException reportFailed) {
            log.log(RuntimeLog.Level.FATAL, "report_failed", "could not report the init error", null,
                    Map.of("error", reportFailed.toString()));
        }
        return INIT_FAILED;
    }
}
