package dev.pulse.e2e.diagnose;

import dev.pulse.e2e.TargetException;
import dev.pulse.e2e.TerraformOutputs;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.Map;

/**
 * {@code make diagnose}: prints the checks and recent error lines of a deployment. Exit status 0
 * when every check holds, 1 when one fails, 2 when there is nothing to check (no outputs, no
 * region, no credentials) — always one line saying why, never a stack trace.
 */
public final class DiagnoseMain {
    private DiagnoseMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv()));
    }

    public static int run(Map<String, String> env) {
        TerraformOutputs outputs;
        try {
            outputs = DeployedOutputs.load(env);
        } catch (TargetException e) {
            System.err.println("diagnose: " + e.getMessage());
            return 2;
        }
        String region = DeployedOutputs.region(env, outputs).orElse(null);
        if (region == null) {
            System.err.println("diagnose: no AWS region: set AWS_REGION");
            return 2;
        }
        System.out.println("diagnose: " + outputs.string("dashboard_function_url").orElse("?") + " (dashboard), "
                + outputs.string("sse_lambda_function_url").orElse("?") + " (sse), region " + region);
        try (AwsClients aws = AwsClients.create(region)) {
            DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs(), aws.alarms()).run(outputs);
            System.out.println(report.render());
            return report.ok() ? 0 : 1;
        } catch (SdkClientException e) {
            System.err.println("diagnose: the AWS API cannot be reached (credentials? network?): " + Diagnose.oneLine(e));
            return 2;
        }
    }
}
