package dev.pulse.e2e.diagnose;

import dev.pulse.e2e.TerraformOutputs;
import dev.pulse.e2e.infra.Executables;
import dev.pulse.e2e.infra.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.InvokeMode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Diagnose against moto's Lambda and CloudWatch Logs APIs (a real HTTP server on loopback; moto is
 * the outer edge standing in for AWS). Each test deploys its own pair of functions.
 */
class DiagnoseTest {
    private static final AtomicInteger PAIRS = new AtomicInteger();
    private static MotoServer moto;
    private static MotoLambda aws;
    private static String role;

    @BeforeAll
    static void startMoto() throws IOException {
        Path motoServer = Executables.onPath("moto_server").orElse(null);
        assumeTrue(motoServer != null, "moto_server is not on PATH: diagnose tests skipped (make tools installs it)");
        moto = MotoServer.start(motoServer, Duration.ofSeconds(30));
        aws = MotoLambda.connect(moto);
        role = aws.role("pulse-diagnose-test");
    }

    @AfterAll
    static void stopMoto() {
        if (aws != null) {
            aws.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /** Deploys a dashboard + SSE pair with the given settings and returns its outputs document. */
    private static TerraformOutputs deploy(InvokeMode dashboardMode, InvokeMode sseMode, String wrapper, boolean dashboardKnowsSse) {
        int n = PAIRS.incrementAndGet();
        String sse = "pulse-t" + n + "-sse";
        String dashboard = "pulse-t" + n + "-dashboard";
        Map<String, String> sseEnv = new HashMap<>(Map.of("PULSE_TABLE", "t"));
        if (wrapper != null) {
            sseEnv.put("AWS_LAMBDA_EXEC_WRAPPER", wrapper);
        }
        String sseUrl = aws.function(sse, role, sseEnv, sseMode);
        String dashboardUrl = aws.function(dashboard, role,
                Map.of("PULSE_TABLE", "t", "SSE_URL", dashboardKnowsSse ? sseUrl : "https://elsewhere.example/"), dashboardMode);
        aws.logs().createLogGroup(b -> b.logGroupName("/aws/lambda/" + sse));
        return TerraformOutputs.parse("""
                {"dashboard_function_url":{"value":"%s"},"sse_lambda_function_url":{"value":"%s"},
                 "dashboard_function_name":{"value":"%s"},"sse_function_name":{"value":"%s"},
                 "dashboard_log_group":{"value":"/aws/lambda/%s"},"sse_log_group":{"value":"/aws/lambda/%s"},
                 "table_name":{"value":"t"}}""".formatted(dashboardUrl, sseUrl, dashboard, sse, dashboard, sse), "test");
    }

    @Test
    void aCorrectDeploymentPassesEveryCheck() {
        DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs())
                .run(deploy(InvokeMode.BUFFERED, InvokeMode.RESPONSE_STREAM, "/var/task/bootstrap", true));
        assertTrue(report.ok(), report::render);
        assertTrue(report.check("dashboard invoke mode").detail().endsWith("is BUFFERED"), report::render);
        assertTrue(report.check("sse invoke mode").detail().endsWith("is RESPONSE_STREAM"), report::render);
        assertTrue(report.check("sse exec wrapper").ok(), report::render);
        assertTrue(report.check("dashboard SSE_URL").ok(), report::render);
        assertTrue(report.check("sse url").ok(), report::render);
        assertTrue(report.render().endsWith("diagnose: OK"), report::render);
    }

    @Test
    void aBufferedSseUrlIsReportedWithBothModes() {
        DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs())
                .run(deploy(InvokeMode.BUFFERED, InvokeMode.BUFFERED, "/var/task/bootstrap", true));
        assertFalse(report.ok());
        Check sse = report.check("sse invoke mode");
        assertFalse(sse.ok());
        assertTrue(sse.detail().contains("is BUFFERED, expected RESPONSE_STREAM"), sse::detail);
        assertTrue(report.check("dashboard invoke mode").ok(), report::render);
        assertTrue(report.render().contains("FAIL  sse invoke mode"), report::render);
    }

    @Test
    void aStreamingDashboardUrlIsReported() {
        DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs())
                .run(deploy(InvokeMode.RESPONSE_STREAM, InvokeMode.RESPONSE_STREAM, "/var/task/bootstrap", true));
        assertFalse(report.check("dashboard invoke mode").ok(), report::render);
        assertTrue(report.check("dashboard invoke mode").detail().contains("expected BUFFERED"), report::render);
    }

    @Test
    void aMissingWrapperAndAWrongSseUrlAreReported() {
        DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs())
                .run(deploy(InvokeMode.BUFFERED, InvokeMode.RESPONSE_STREAM, null, false));
        assertFalse(report.check("sse exec wrapper").ok(), report::render);
        assertTrue(report.check("sse exec wrapper").detail().contains("not set"), report::render);
        assertFalse(report.check("dashboard SSE_URL").ok(), report::render);
        assertEquals(2, report.checks().stream().filter(c -> !c.ok()).count(), report::render);
    }

    @Test
    void missingFunctionsAndOutputsAreFailedChecksNotExceptions() {
        TerraformOutputs outputs = TerraformOutputs.parse("""
                {"dashboard_function_url":{"value":"https://a.lambda-url.us-east-1.on.aws/"},
                 "dashboard_function_name":{"value":"pulse-nowhere-dashboard"},
                 "sse_function_name":{"value":""}}""", "test");
        DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs()).run(outputs);
        assertFalse(report.ok());
        assertFalse(report.check("output sse_function_name").ok(), report::render);
        assertFalse(report.check("output sse_lambda_function_url").ok(), report::render);
        assertTrue(report.check("dashboard invoke mode").detail().contains("no Function URL config"), report::render);
    }

    @Test
    void logExcerptsListErrorLinesAndReportAnUnreadableGroup() {
        String group = "/aws/lambda/pulse-logs-test";
        aws.logs().createLogGroup(b -> b.logGroupName(group));
        aws.logs().createLogStream(b -> b.logGroupName(group).logStreamName("s"));
        long now = System.currentTimeMillis();
        aws.logs().putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(
                e -> e.timestamp(now - 2000).message("START RequestId: 1"),
                e -> e.timestamp(now - 1000).message("ERROR store unavailable: table pulse-x cannot be reached")));
        Diagnose diagnose = new Diagnose(aws.lambda(), aws.logs());
        LogExcerpt excerpt = diagnose.recentErrors(group);
        assertEquals(null, excerpt.problem());
        assertTrue(excerpt.lines().stream().anyMatch(l -> l.contains("store unavailable")), excerpt::toString);
        assertTrue(excerpt.lines().stream().noneMatch(l -> l.contains("START")), excerpt::toString);

        LogExcerpt missing = diagnose.recentErrors("/aws/lambda/does-not-exist");
        assertTrue(missing.lines().isEmpty());
        assertTrue(missing.problem() != null && !missing.problem().isBlank(), missing::toString);
    }
}
