package dev.pulse.e2e.diagnose;

import dev.pulse.e2e.TargetException;
import dev.pulse.e2e.TerraformOutputs;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code make diagnose}: prints the checks of a deployment, the summary of the last {@code DIAGNOSE_MINUTES} (30) of
 * both log groups and the CloudWatch dashboard's link. Exit status 0 when every check holds, 1 when one fails, 2 when
 * there is nothing to check (no outputs, no region, no credentials) — always one line saying why, never a stack trace.
 *
 * <p>Outputs of a local stack ({@code E2E_OUTPUTS_FILE=target/local-outputs.json}) name its log files instead of log
 * groups: then it summarises those files, the same way, and has no Lambda API to check.
 */
public final class DiagnoseMain {
    static final String MINUTES_VARIABLE = "DIAGNOSE_MINUTES";

    private DiagnoseMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv()));
    }

    public static int run(Map<String, String> env) {
        return run(env, System.out, System.err);
    }

    /** As {@link #run(Map)}, printing to {@code out} and {@code err}. */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err) {
        TerraformOutputs outputs;
        Duration window;
        try {
            outputs = DeployedOutputs.load(env);
            window = window(env);
        } catch (TargetException | IllegalArgumentException e) {
            err.println("diagnose: " + e.getMessage());
            return 2;
        }
        Optional<String> dashboardFile = outputs.string("dashboard_log_file");
        Optional<String> sseFile = outputs.string("sse_log_file");
        if (dashboardFile.isPresent() || sseFile.isPresent()) {
            Instant now = Instant.now();
            out.println("diagnose: the local stack of " + outputs.string("dashboard_function_url").orElse("?")
                    + " (its log files; the Lambda API checks are for a deployment)");
            out.print(new LogSummaries(new LogFiles()).summarise(dashboardFile.orElse(null), sseFile.orElse(null),
                    now.minus(window), now).render("  "));
            return 0;
        }
        String region = DeployedOutputs.region(env, outputs).orElse(null);
        if (region == null) {
            err.println("diagnose: no AWS region: set AWS_REGION");
            return 2;
        }
        out.println("diagnose: " + outputs.string("dashboard_function_url").orElse("?") + " (dashboard), "
                + outputs.string("sse_lambda_function_url").orElse("?") + " (sse), region " + region);
        try (AwsClients aws = AwsClients.create(region)) {
            DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs(), aws.alarms()).logWindow(window).run(outputs);
            out.println(report.render());
            return report.ok() ? 0 : 1;
        } catch (SdkClientException e) {
            err.println("diagnose: the AWS API cannot be reached (credentials? network?): " + Diagnose.oneLine(e));
            return 2;
        }
    }

    /** {@code DIAGNOSE_MINUTES}: how far back the logs are read (1 to 10080, a week). */
    static Duration window(Map<String, String> env) {
        String raw = env.get(MINUTES_VARIABLE);
        if (raw == null || raw.isBlank()) {
            return Diagnose.LOG_WINDOW;
        }
        try {
            int minutes = Integer.parseInt(raw.strip());
            if (minutes >= 1 && minutes <= 10_080) {
                return Duration.ofMinutes(minutes);
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new IllegalArgumentException(MINUTES_VARIABLE + " must be a number of minutes from 1 to 10080, got '"
                + raw + "'");
    }
}
