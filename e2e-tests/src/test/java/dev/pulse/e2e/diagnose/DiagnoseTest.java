package dev.pulse.e2e.diagnose;

import dev.pulse.e2e.Targets;
import dev.pulse.e2e.TerraformOutputs;
import dev.pulse.e2e.infra.Executables;
import dev.pulse.emulators.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.model.InvokeMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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
        assertTrue(report.render().contains("error lines: 0"), "the log summary, empty: " + report.render());
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

    /**
     * snap_start = true: each URL on the alias live of a published version. Diagnose finds each on its alias, says so,
     * and checks the configuration the alias's version has (here $LATEST has since lost the wrapper and points at
     * another SSE URL, so reading $LATEST would fail both checks). moto answers the unqualified call too (it keeps one
     * URL config per function, where AWS has none on the function then): that the aliases are asked first is what
     * this proves.
     */
    @Test
    void aUrlOnTheAliasOfAPublishedVersionIsFoundThereAndItsVersionIsChecked() {
        int n = PAIRS.incrementAndGet();
        String sse = "pulse-t" + n + "-sse";
        String dashboard = "pulse-t" + n + "-dashboard";
        String sseUrl = aws.functionOnAlias(sse, role, Map.of("PULSE_TABLE", "t", "AWS_LAMBDA_EXEC_WRAPPER",
                "/var/task/bootstrap"), Map.of("PULSE_TABLE", "t"), InvokeMode.RESPONSE_STREAM, "live");
        String dashboardUrl = aws.functionOnAlias(dashboard, role, Map.of("PULSE_TABLE", "t", "SSE_URL", sseUrl),
                Map.of("PULSE_TABLE", "t", "SSE_URL", "https://elsewhere.example/"), InvokeMode.BUFFERED, "live");
        TerraformOutputs outputs = TerraformOutputs.parse("""
                {"dashboard_function_url":{"value":"%s"},"sse_lambda_function_url":{"value":"%s"},
                 "dashboard_function_name":{"value":"%s"},"sse_function_name":{"value":"%s"}}"""
                .formatted(dashboardUrl, sseUrl, dashboard, sse), "test");

        DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs()).run(outputs);
        assertTrue(report.ok(), report::render);
        assertEquals(sseUrl + " (on alias live)", report.check("sse url").detail(), report::render);
        assertEquals(dashboardUrl + " (on alias live)", report.check("dashboard url").detail(), report::render);
        assertTrue(report.check("sse invoke mode").detail().endsWith("is RESPONSE_STREAM"), report::render);
        assertTrue(report.check("dashboard invoke mode").detail().endsWith("is BUFFERED"), report::render);
        assertTrue(report.check("sse exec wrapper").ok(), "the alias's version has the wrapper: " + report.render());
        assertTrue(report.check("dashboard SSE_URL").ok(), report::render);
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
    void theLogSummaryCountsByJsonFieldsNotWords_andNamesAGroupItCannotRead() {
        String dashboard = "/aws/lambda/pulse-summary-dashboard";
        String sse = "/aws/lambda/pulse-summary-sse";
        long now = System.currentTimeMillis();
        put(dashboard, now,
                "START RequestId: 1 Version: $LATEST",
                "ERROR in plain text: a word, not a level",
                line(now, "INFO", "\"event\":\"request\",\"status\":200,\"message\":\"no Exception here\""),
                line(now, "WARN", "\"event\":\"request\",\"status\":421,\"error_code\":\"misdirected_stream_request\""),
                line(now, "WARN", "\"event\":\"request\",\"status\":421,\"error_code\":\"misdirected_stream_request\""),
                line(now, "ERROR", "\"event\":\"request\",\"status\":503,\"error\":\"store unavailable\""),
                "{\"time\":\"" + Instant.ofEpochMilli(now) + "\",\"type\":\"platform.report\","
                        + "\"record\":{\"requestId\":\"r-9\",\"status\":\"timeout\"}}");
        put(sse, now,
                line(now, "INFO", "\"event\":\"stream_end\",\"reason\":\"max_stream\",\"DeliveryLag\":[100,200,300]"),
                line(now, "INFO", "\"event\":\"stream_end\",\"reason\":\"max_stream\",\"DeliveryLag\":400"),
                line(now, "WARN", "\"event\":\"stream_end\",\"reason\":\"client_gone\""),
                line(now, "INFO", "\"event\":\"stream_progress\",\"DeliveryLag\":[5000]"),
                line(now, "FATAL", "\"event\":\"runtime_stopped\""));
        TerraformOutputs outputs = TerraformOutputs.parse("""
                {"dashboard_log_group":{"value":"%s"},"sse_log_group":{"value":"%s"}}""".formatted(dashboard, sse), "test");
        Diagnose diagnose = new Diagnose(aws.lambda(), aws.logs());
        LogSummary summary = diagnose.summary(outputs, Instant.ofEpochMilli(now - 60_000),
                Instant.ofEpochMilli(now + 60_000));
        assertEquals(List.of(), summary.problems(), summary::toString);
        assertEquals(3, summary.errors(), () -> "the 503, the platform's timeout and the FATAL line: " + summary.render(""));
        assertEquals(2, summary.misdirected());
        assertEquals(Map.of("max_stream", 2L, "client_gone", 1L), summary.streamEnds());
        assertEquals(5, summary.lagSamples());
        assertEquals(300, summary.lagP50());
        assertEquals(5000, summary.lagP99());
        assertTrue(summary.render("").contains("421 misdirected stream requests: 2"), summary.render(""));

        LogSummary missing = diagnose.summary(TerraformOutputs.parse(
                "{\"sse_log_group\":{\"value\":\"/aws/lambda/does-not-exist\"}}", "test"),
                Instant.ofEpochMilli(now - 60_000), Instant.ofEpochMilli(now));
        assertEquals(1, missing.problems().size(), missing::toString);
        assertTrue(missing.render("").contains("not read: /aws/lambda/does-not-exist"), missing.render(""));
    }

    @Test
    void aFailedTestAgainstADeploymentPrintsTheSummaryOfItsWindowAndTheDashboardLink(@TempDir Path dir) throws IOException {
        long now = System.currentTimeMillis();
        String dashboard = "/aws/lambda/pulse-reporter-dashboard";
        put(dashboard, now, line(now, "WARN", "\"event\":\"request\",\"status\":421"));
        put(dashboard, now - 3_600_000, line(now - 3_600_000, "WARN", "\"event\":\"request\",\"status\":421"));
        Path outputs = Files.writeString(dir.resolve("outputs.json"), """
                {"dashboard_log_group":{"value":"%s"},"cloudwatch_dashboard_name":{"value":"pulse-preprod"},
                 "dashboard_function_url":{"value":"https://abc.lambda-url.us-east-1.on.aws/"}}""".formatted(dashboard));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, String> sdk = Map.of("aws.endpointUrl", aws.endpoint().toString(), "aws.accessKeyId", "test",
                "aws.secretAccessKey", "test");
        Map<String, String> previous = new HashMap<>();
        sdk.forEach((k, v) -> {
            previous.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
        try {
            new LogSummaryReporter(Duration.ZERO).report(Map.of("E2E_OUTPUTS_FILE", outputs.toString()),
                    new Targets(URI.create("https://abc.lambda-url.us-east-1.on.aws"),
                            URI.create("https://def.lambda-url.us-east-1.on.aws"), "test", List.of()),
                    Instant.ofEpochMilli(now - 60_000), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        } finally {
            previous.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("[e2e]     421 misdirected stream requests: 1"), "only the test's window: " + out);
        assertTrue(out.contains("[e2e]   CloudWatch dashboard: https://us-east-1.console.aws.amazon.com/cloudwatch/home?"
                + "region=us-east-1#dashboards/dashboard/pulse-preprod"), out);
    }

    /** A function's JSON line at {@code millis} with the given level and extra fields. */
    private static String line(long millis, String level, String fields) {
        return "{\"timestamp\":\"" + Instant.ofEpochMilli(millis) + "\",\"level\":\"" + level + "\","
                + "\"requestId\":\"req\",\"function\":\"f\"," + fields + "}";
    }

    private static void put(String group, long millis, String... messages) {
        if (aws.logs().describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().isEmpty()) {
            aws.logs().createLogGroup(b -> b.logGroupName(group));
        }
        String stream = "s" + millis;
        aws.logs().createLogStream(b -> b.logGroupName(group).logStreamName(stream));
        List<software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent> events = new java.util.ArrayList<>();
        for (String message : messages) {
            events.add(software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder()
                    .timestamp(millis).message(message).build());
        }
        aws.logs().putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    @Test
    void anAlarmInAlarmStateIsAFailedCheckAndAMissingOneToo() throws Exception {
        TerraformOutputs base = deploy(InvokeMode.BUFFERED, InvokeMode.RESPONSE_STREAM, "/var/task/bootstrap", true);
        String sse = base.string("sse_function_name").orElseThrow();
        String dashboard = base.string("dashboard_function_name").orElseThrow();
        aws.alarm(sse + "-errors", sse);
        aws.alarm(dashboard + "-errors", dashboard);
        try (CloudWatchAlarms alarms = aws.alarms()) {
            alarms.setState(sse + "-errors", "ALARM", "Threshold Crossed: 3 errors");
            TerraformOutputs outputs = withAlarms(base, sse + "-errors", dashboard + "-errors", "pulse-never-created");
            DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs(), alarms).run(outputs);
            assertFalse(report.ok(), report::render);
            Check firing = report.check("alarm " + sse + "-errors");
            assertFalse(firing.ok(), report::render);
            assertTrue(firing.detail().contains("in ALARM (Errors): Threshold Crossed: 3 errors"), firing::detail);
            assertTrue(report.check("alarm " + dashboard + "-errors").ok(), report::render);
            assertTrue(report.check("alarm pulse-never-created").detail().contains("not found"), report::render);
            assertEquals(2, report.checks().stream().filter(c -> !c.ok()).count(), report::render);

            alarms.setState(sse + "-errors", "OK", "recovered");
            DiagnoseReport recovered = new Diagnose(aws.lambda(), aws.logs(), alarms)
                    .run(withAlarms(base, sse + "-errors", dashboard + "-errors"));
            assertTrue(recovered.ok(), recovered::render);
        }
    }

    @Test
    void unreadableAlarmsAreAFailedCheckAndNoAlarmOutputMeansNoAlarmCheck() throws Exception {
        TerraformOutputs base = deploy(InvokeMode.BUFFERED, InvokeMode.RESPONSE_STREAM, "/var/task/bootstrap", true);
        try (CloudWatchAlarms nowhere = new CloudWatchAlarms(java.net.URI.create("http://127.0.0.1:1"), "us-east-1",
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))) {
            DiagnoseReport report = new Diagnose(aws.lambda(), aws.logs(), nowhere).run(withAlarms(base, "x-errors"));
            assertTrue(report.check("alarms").detail().contains("cannot be read"), report::render);
            assertFalse(report.check("alarms").ok());
            DiagnoseReport without = new Diagnose(aws.lambda(), aws.logs(), nowhere).run(base);
            assertTrue(without.ok(), "outputs without alarm_names (an older deployment): " + without.render());
        }
    }

    @Test
    void theAlarmsEndpointFollowsTheSdkSettings() {
        java.util.function.Function<String, String> none = name -> null;
        assertEquals("https://monitoring.eu-west-1.amazonaws.com", CloudWatchAlarms.endpoint("eu-west-1", none, none).toString());
        assertEquals("http://127.0.0.1:5000", CloudWatchAlarms.endpoint("eu-west-1",
                Map.of("aws.endpointUrl", "http://127.0.0.1:5000")::get, none).toString());
        assertEquals("http://127.0.0.1:6000", CloudWatchAlarms.endpoint("eu-west-1",
                Map.of("aws.endpointUrl", "http://127.0.0.1:5000")::get,
                Map.of("AWS_ENDPOINT_URL_CLOUDWATCH", "http://127.0.0.1:6000")::get).toString(),
                "the service-specific setting wins over the general one");
    }

    private static TerraformOutputs withAlarms(TerraformOutputs outputs, String... alarms) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = mapper.createObjectNode();
        for (String name : outputs.names()) {
            root.putObject(name).set("value", outputs.value(name).orElseThrow());
        }
        com.fasterxml.jackson.databind.node.ArrayNode list = root.putObject("alarm_names").putArray("value");
        for (String alarm : alarms) {
            list.add(alarm);
        }
        return TerraformOutputs.parse(mapper.writeValueAsString(root), "test with alarms");
    }
}
