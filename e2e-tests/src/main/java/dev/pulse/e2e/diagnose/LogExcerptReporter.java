package dev.pulse.e2e.diagnose;

import dev.pulse.e2e.FailureReporter;
import dev.pulse.e2e.Targets;
import dev.pulse.e2e.TerraformOutputs;

import java.io.PrintStream;
import java.util.Map;

/**
 * When an e2e test fails against a deployed target, prints the recent error lines of both
 * functions' log groups (found through the Terraform outputs: {@code E2E_OUTPUTS_FILE} or
 * {@code terraform output}). Registered with {@link java.util.ServiceLoader}; never throws.
 */
public final class LogExcerptReporter implements FailureReporter {

    @Override
    public void report(Targets targets, String testName, Throwable failure, PrintStream out) {
        if (targets.isLoopback()) {
            return; // a local stack: its function output is in the stack's own log
        }
        try {
            Map<String, String> env = System.getenv();
            TerraformOutputs outputs = DeployedOutputs.load(env);
            String region = DeployedOutputs.region(env, outputs).orElse(null);
            if (region == null) {
                out.println("[e2e]   (no log excerpt: no AWS region; set AWS_REGION)");
                return;
            }
            try (AwsClients aws = AwsClients.create(region)) {
                Diagnose diagnose = new Diagnose(aws.lambda(), aws.logs());
                for (String output : new String[] {"dashboard_log_group", "sse_log_group"}) {
                    outputs.string(output).map(diagnose::recentErrors).ifPresent(log -> print(log, out));
                }
            }
        } catch (RuntimeException e) {
            out.println("[e2e]   (no log excerpt: " + Diagnose.oneLine(e) + ")");
        }
    }

    private static void print(LogExcerpt log, PrintStream out) {
        if (log.problem() != null) {
            out.println("[e2e]   " + log.logGroup() + ": not read (" + log.problem() + ")");
            return;
        }
        out.println("[e2e]   " + log.logGroup() + ": " + log.lines().size() + " recent error line(s)");
        log.lines().forEach(l -> out.println("[e2e]     " + l));
    }
}
