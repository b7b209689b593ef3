package dev.pulse.e2e.diagnose;

import dev.pulse.e2e.FailureReporter;
import dev.pulse.e2e.Targets;
import dev.pulse.e2e.TerraformOutputs;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * When an e2e test fails against a deployed target, prints diagnose's summary of both functions' logs for the test's
 * time window (error lines, 421s, stream end reasons, delivery lag) and the CloudWatch dashboard's link; the log
 * groups come from the Terraform outputs ({@code E2E_OUTPUTS_FILE} or {@code terraform output}). Registered with
 * {@link java.util.ServiceLoader}; never throws.
 */
public final class LogSummaryReporter implements FailureReporter {

    /** Lines reach CloudWatch Logs a few seconds after they are written. */
    static final Duration INGESTION = Duration.ofSeconds(5);
    /** Before the test: its requests may have started a moment earlier than the clock read. */
    static final Duration SLACK = Duration.ofSeconds(5);

    private final Duration ingestion;

    public LogSummaryReporter() {
        this(INGESTION);
    }

    /** {@code ingestion}: how long to wait for the test's last lines to reach CloudWatch Logs. */
    LogSummaryReporter(Duration ingestion) {
        this.ingestion = ingestion;
    }

    @Override
    public void report(Targets targets, String testName, Instant started, Throwable failure, PrintStream out) {
        report(System.getenv(), targets, started, out);
    }

    void report(Map<String, String> env, Targets targets, Instant started, PrintStream out) {
        if (targets.isLoopback()) {
            return; // a local stack: its function output is in the stack's own log files
        }
        try {
            TerraformOutputs outputs = DeployedOutputs.load(env);
            String region = DeployedOutputs.region(env, outputs).orElse(null);
            if (region == null) {
                out.println("[e2e]   (no log summary: no AWS region; set AWS_REGION)");
                return;
            }
            Thread.sleep(ingestion.toMillis());
            try (AwsClients aws = AwsClients.create(region)) {
                LogSummary summary = new Diagnose(aws.lambda(), aws.logs()).summary(outputs, started.minus(SLACK), Instant.now());
                out.print(summary.render("[e2e]   "));
                String link = Diagnose.dashboardLink(outputs, region);
                if (link != null) {
                    out.println("[e2e]   CloudWatch dashboard: " + link);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.println("[e2e]   (no log summary: " + Diagnose.oneLine(e) + ")");
        }
    }
}
