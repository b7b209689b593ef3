package dev.pulse.e2e.it;

import dev.pulse.e2e.FailureReporter;
import dev.pulse.e2e.Targets;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

import java.time.Instant;
import java.util.ServiceLoader;

/**
 * Gives tests the {@link E2eRun} (one per JUnit engine run: the root store closes it, and with it
 * the local stack, after the last test class), and on a failure against a deployed target prints
 * the {@code make diagnose} hint and whatever the registered {@link FailureReporter}s add.
 */
public final class E2eExtension implements ParameterResolver, TestWatcher, BeforeTestExecutionCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(E2eExtension.class);

    /**
     * Resolves the run once, success or failure: a target that cannot be found (or a local stack
     * that cannot start) fails every test with the same message instead of being retried per test.
     */
    static final class Holder implements AutoCloseable {
        private E2eRun run;
        private RuntimeException failure;

        synchronized E2eRun get() {
            if (run == null && failure == null) {
                try {
                    run = E2eRun.start(System.getenv());
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return run;
        }

        synchronized E2eRun peek() {
            return run;
        }

        @Override
        public synchronized void close() {
            if (run != null) {
                run.close();
            }
        }
    }

    private static Holder holder(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class);
    }

    static E2eRun run(ExtensionContext context) {
        return holder(context).get();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == E2eRun.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return run(c);
    }

    /** When each test starts: a failure's log summary covers its time window. */
    @Override
    public void beforeTestExecution(ExtensionContext context) {
        context.getStore(NS).put(Instant.class, Instant.now());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        E2eRun run = holder(context).peek();
        if (run == null || run.targets().isLoopback()) {
            return;
        }
        Targets t = run.targets();
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName();
        System.out.println("[e2e] " + name + " failed against a deployed target (" + t.source() + ").");
        System.out.println("[e2e]   Run `make diagnose ENV=<env>` to check both Function URLs' invoke modes,"
                + " the SSE function's AWS_LAMBDA_EXEC_WRAPPER and the alarms, and to summarise both log groups.");
        Instant started = context.getStore(NS).getOrDefault(Instant.class, Instant.class, Instant.now().minusSeconds(60));
        for (FailureReporter reporter : ServiceLoader.load(FailureReporter.class)) {
            try {
                reporter.report(t, name, started, cause, System.out);
            } catch (RuntimeException e) {
                System.out.println("[e2e]   (" + reporter.getClass().getName() + " failed: " + e + ")");
            }
        }
    }
}
