package dev.pulse.e2e;

import java.io.PrintStream;
import java.time.Instant;

/**
 * Adds context when an e2e test fails against a deployed target (not on a local stack), e.g. the
 * summary of both functions' logs for the test's time window. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.pulse.e2e.FailureReporter}); the
 * suite calls each one after printing its own {@code make diagnose} hint. A reporter must not throw.
 */
public interface FailureReporter {
    /** @param started when the test began: the start of the time window whose logs matter */
    void report(Targets targets, String testName, Instant started, Throwable failure, PrintStream out);
}
