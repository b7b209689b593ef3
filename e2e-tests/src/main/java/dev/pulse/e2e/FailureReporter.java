package dev.pulse.e2e;

import java.io.PrintStream;

/**
 * Adds context when an e2e test fails against a deployed target (not on a local stack), e.g. the
 * recent error lines of both functions' log groups. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.pulse.e2e.FailureReporter}); the
 * suite calls each one after printing its own {@code make diagnose} hint. A reporter must not throw.
 */
public interface FailureReporter {
    void report(Targets targets, String testName, Throwable failure, PrintStream out);
}
