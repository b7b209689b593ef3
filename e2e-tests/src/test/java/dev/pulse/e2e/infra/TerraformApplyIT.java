package dev.pulse.e2e.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.e2e.RepoRoot;
import dev.pulse.e2e.TargetResolver;
import dev.pulse.e2e.Targets;
import dev.pulse.e2e.TempDirs;
import dev.pulse.e2e.TerraformCli;
import dev.pulse.e2e.TerraformOutputs;
import dev.pulse.e2e.diagnose.CloudWatchAlarms;
import dev.pulse.e2e.diagnose.Diagnose;
import dev.pulse.e2e.diagnose.DiagnoseMain;
import dev.pulse.e2e.diagnose.DiagnoseReport;
import dev.pulse.emulators.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.InvokeMode;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The infra tier: {@code terraform apply} of the real root module ({@code terraform/}, preprod
 * settings, the artifacts just built) against moto on loopback, then the deployment is read back
 * with the AWS SDK, through {@code terraform output -json}, the e2e target resolver and diagnose,
 * and destroyed. moto stands in for AWS (the outer edge): it checks the API calls, not IAM.
 *
 * <p>The module is copied to a temporary directory and given one override file with the
 * provider's endpoints and a local backend; the module itself is not changed for the test.
 *
 * <p>Security: a plan with a public URL and no write key fails; the apply gets a random write key as
 * {@code api_key} (hashed by Terraform) plus a second digest as during a rotation, and neither the
 * functions' configuration read back with the SDK nor the state file holds the key; the alarms exist,
 * and diagnose reports one in ALARM.
 *
 * <p>SnapStart: the default publishes nothing; {@code snap_start = true}, applied to the running stack as a user
 * turns it on, publishes a version, puts the alias {@code live} on it and moves each URL and its permissions onto
 * the alias. What moto keeps of that: the published version, the alias, the URL and the permissions. What it does
 * not: the SnapStart setting (GetFunction answers {@code ApplyOn: None}) and the qualifier of a URL or a
 * permission (one URL config and one policy per function); the plan proves those.
 */
@Tag("infra")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerraformApplyIT {
    private static final List<String> OUTPUTS = List.of("dashboard_function_url", "sse_lambda_function_url",
            "dashboard_function_name", "sse_function_name", "table_name", "dashboard_log_group", "sse_log_group",
            "cloudwatch_dashboard_name");
    /** The write key of this run: random, so finding it anywhere can only mean it leaked there. */
    private static final String API_KEY = "infra-key-" + java.util.UUID.randomUUID();
    /** The digest of a key being retired (a rotation): the dashboard must hold both digests, no key. */
    private static final String PREVIOUS_DIGEST = Terraform.sha256Hex("the-previous-key");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FUNCTIONS = List.of("dashboard", "sse");

    private Path repo;
    private Path workDir;
    private MotoServer moto;
    private Terraform terraform;
    private LambdaClient lambda;
    private CloudWatchLogsClient logs;
    private CloudWatchAlarms alarms;
    private String outputsJson;
    private TerraformOutputs outputs;
    private String planWithoutKey;
    private JsonNode appliedState;
    private boolean applied;
    private boolean destroyed;
    /** Whether the stack has had {@code snap_start = true} applied: its destroy passes the same setting. */
    private boolean snapStart;

    @BeforeAll
    void applyTheRootModule() throws IOException {
        Path terraformBin = Executables.onPath("terraform").orElse(null);
        assumeTrue(terraformBin != null, "terraform is not on PATH: infra tier skipped (see docs/testing.md, 'What the tests need')");
        Path motoServer = Executables.onPath("moto_server").orElse(null);
        assumeTrue(motoServer != null, "moto_server is not on PATH: infra tier skipped (make tools installs it)");

        repo = RepoRoot.find(System.getenv()).orElseThrow(() -> new IllegalStateException("repository root not found"));
        Path dashboardJar = repo.resolve("dashboard-handler/target/dashboard-handler.jar");
        Path sseZip = repo.resolve("sse-handler/target/sse-handler.zip");
        assertTrue(Files.isRegularFile(dashboardJar) && Files.isRegularFile(sseZip),
                "the function artifacts are missing: run `make build` (or the whole reactor) first");

        moto = MotoServer.start(motoServer, Duration.ofSeconds(30));
        workDir = Files.createTempDirectory("pulse-infra-tier");
        Terraform.copyModule(repo.resolve("terraform"), workDir);
        Files.writeString(workDir.resolve("zz_infra_tier_override.tf"), Terraform.motoOverride(moto.endpoint()));

        terraform = new Terraform(workDir);
        Terraform.Result init = terraform.run(List.of(repo.resolve("scripts/terraform-init.sh").toString(), workDir.toString(),
                "-no-color"));
        assertTrue(init.ok(), () -> "terraform init failed:\n" + init.tail());
        // Fail closed: the preprod settings (public URLs) without a key must not even plan.
        planWithoutKey = terraform.terraform(withArtifacts("plan", "-input=false", "-no-color",
                "-var-file=envs/preprod.tfvars")).output();
        Terraform.Result apply = terraform.terraform(withKey("apply", "-auto-approve", "-input=false", "-no-color"));
        applied = true; // destroy whatever part of it exists, even after a failure
        assertTrue(apply.ok(), () -> "terraform apply failed:\n" + apply.tail());

        Terraform.Result output = terraform.terraform("output", "-json", "-no-color");
        assertTrue(output.ok(), () -> "terraform output failed:\n" + output.tail());
        outputsJson = output.output();
        outputs = TerraformOutputs.parse(outputsJson, "terraform output -json");

        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        lambda = LambdaClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(moto.endpoint()).httpClient(UrlConnectionHttpClient.create()).build();
        logs = CloudWatchLogsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(moto.endpoint()).httpClient(UrlConnectionHttpClient.create()).build();
        alarms = new CloudWatchAlarms(moto.endpoint(), "us-east-1", credentials);
    }

    /** terraform args + the preprod settings, the artifacts just built, the write key and a rotation's old digest. */
    private String[] withKey(String... args) {
        List<String> all = new ArrayList<>(List.of(withArtifacts(args)));
        all.addAll(List.of("-var-file=envs/preprod.tfvars", "-var", "api_key=" + API_KEY,
                "-var", "api_key_sha256=[\"" + PREVIOUS_DIGEST + "\"]"));
        if (snapStart) {
            all.addAll(List.of("-var", "snap_start=true"));
        }
        return all.toArray(String[]::new);
    }

    private String[] withArtifacts(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-var", "dashboard_artifact=" + repo.resolve("dashboard-handler/target/dashboard-handler.jar"),
                "-var", "sse_artifact=" + repo.resolve("sse-handler/target/sse-handler.zip")));
        return all.toArray(String[]::new);
    }

    @AfterAll
    void destroyAndStop() throws IOException {
        try {
            if (applied && !destroyed) {
                terraform.terraform(withKey("destroy", "-auto-approve", "-input=false", "-no-color"));
            }
        } finally {
            if (lambda != null) {
                lambda.close();
                logs.close();
                alarms.close();
            }
            if (moto != null) {
                moto.close();
            }
            if (workDir != null) {
                TempDirs.deleteTree(workDir);
            }
        }
    }

    @Test
    @Order(1)
    void everyOutputIsPresentAndNonEmpty() {
        for (String name : OUTPUTS) {
            assertTrue(outputs.string(name).isPresent(), () -> "output " + name + " missing or empty in " + outputsJson);
        }
        assertEquals("pulse-preprod-dashboard", outputs.string("dashboard_function_name").orElseThrow());
        assertEquals("pulse-preprod-sse", outputs.string("sse_function_name").orElseThrow());
        assertEquals("/aws/lambda/pulse-preprod-sse", outputs.string("sse_log_group").orElseThrow());
        assertEquals("pulse-preprod", outputs.string("cloudwatch_dashboard_name").orElseThrow());
    }

    @Test
    @Order(2)
    void bothFunctionUrlsHaveTheirInvokeModes() {
        String dashboard = outputs.string("dashboard_function_name").orElseThrow();
        String sse = outputs.string("sse_function_name").orElseThrow();
        var dashboardUrl = lambda.getFunctionUrlConfig(b -> b.functionName(dashboard));
        var sseUrl = lambda.getFunctionUrlConfig(b -> b.functionName(sse));
        assertEquals(InvokeMode.BUFFERED, dashboardUrl.invokeMode());
        assertEquals(InvokeMode.RESPONSE_STREAM, sseUrl.invokeMode());
        assertEquals(strip(outputs.string("sse_lambda_function_url").orElseThrow()),
                strip(sseUrl.functionUrl()));
        assertTrue(sseUrl.cors().allowHeaders().stream().anyMatch("last-event-id"::equalsIgnoreCase),
                () -> "the SSE URL's CORS must allow Last-Event-ID: " + sseUrl.cors());
    }

    @Test
    @Order(3)
    void theFunctionsAreConfiguredAsTheArtifactsNeed() {
        GetFunctionConfigurationResponse sse = lambda.getFunctionConfiguration(
                b -> b.functionName(outputs.string("sse_function_name").orElseThrow()));
        assertEquals("java21", sse.runtimeAsString());
        assertEquals(900, sse.timeout());
        Map<String, String> sseEnv = sse.environment().variables();
        assertEquals("/var/task/bootstrap", sseEnv.get("AWS_LAMBDA_EXEC_WRAPPER"));
        assertEquals("30", sseEnv.get("SSE_HEARTBEAT_INTERVAL_SECONDS"));
        assertEquals(outputs.string("table_name").orElseThrow(), sseEnv.get("PULSE_TABLE"));
        assertEquals("preprod", sseEnv.get("PULSE_ENVIRONMENT"), "the metrics' environment dimension");

        GetFunctionConfigurationResponse dashboard = lambda.getFunctionConfiguration(
                b -> b.functionName(outputs.string("dashboard_function_name").orElseThrow()));
        assertEquals("dev.pulse.dashboard.DashboardHandler::handleRequest", dashboard.handler());
        assertEquals(strip(outputs.string("sse_lambda_function_url").orElseThrow()),
                strip(dashboard.environment().variables().get("SSE_URL")), "the dashboard points browsers at the SSE URL");
        assertEquals("preprod", dashboard.environment().variables().get("PULSE_ENVIRONMENT"));
    }

    /**
     * Both functions log JSON at the application level INFO (the metrics ride on INFO lines) and Lambda's
     * own lines at INFO, and one CloudWatch dashboard, in the state after the apply, shows the metrics the functions
     * emit, in namespace Pulse for this environment. The logging configuration is read from a plan of the applied
     * module (what Terraform sends to Lambda): moto's Lambda stores no LoggingConfig, so the state's copy is empty.
     */
    @Test
    @Order(3)
    void bothFunctionsLogJsonAtLevelInfoAndTheDashboardShowsTheirMetrics() throws IOException {
        Path planFile = workDir.resolve("logging-check.tfplan");
        Terraform.Result plan = terraform.terraform(withKey("plan", "-input=false", "-no-color", "-out=" + planFile));
        assertTrue(plan.ok(), plan::tail);
        Terraform.Result planned = terraform.terraform("show", "-json", "-no-color", planFile.toString());
        assertTrue(planned.ok(), planned::tail);
        JsonNode planValues = MAPPER.readTree(planned.output()).path("planned_values");
        for (String module : List.of("dashboard", "sse")) {
            JsonNode logging = resource(planValues, "module." + module + ".aws_lambda_function.this").path("values")
                    .path("logging_config").path(0);
            assertEquals("JSON", logging.path("log_format").asText(), module + ": " + logging);
            assertEquals("INFO", logging.path("application_log_level").asText(), module + ": " + logging);
            assertEquals("INFO", logging.path("system_log_level").asText(), module + ": " + logging);
            assertEquals("/aws/lambda/pulse-preprod-" + module, logging.path("log_group").asText());
        }
        JsonNode dashboard = resource(appliedState().path("values"), "aws_cloudwatch_dashboard.pulse").path("values");
        assertEquals(outputs.string("cloudwatch_dashboard_name").orElseThrow(), dashboard.path("dashboard_name").asText());
        String body = dashboard.path("dashboard_body").asText();
        Set<String> shown = new TreeSet<>();
        for (JsonNode widget : MAPPER.readTree(body).path("widgets")) {
            for (JsonNode metric : widget.path("properties").path("metrics")) {
                if (metric.path(0).isTextual() && metric.path(0).asText().equals("Pulse")) {
                    shown.add(metric.path(1).asText());
                    assertTrue(metric.toString().contains("\"environment\",\"preprod\""), metric::toString);
                } else if (metric.path(0).has("expression")) {
                    shown.add(metric.path(0).path("expression").asText());
                }
            }
        }
        for (String metric : List.of("StreamsStarted", "StreamsEnded", "StreamDuration", "EventsDelivered", "ItemsDelivered",
                "PollLatency", "PollFailures", "DeliveryLag", "ItemsIngested", "IngestLatency", "MisdirectedStreamRequests")) {
            assertTrue(shown.contains(metric), () -> metric + " is on the dashboard: " + shown);
        }
        assertTrue(shown.stream().anyMatch(m -> m.startsWith("SEARCH(") && m.contains("ClientErrors")
                && m.contains("environment=\"preprod\"")), () -> "4xx by error code: " + shown);
    }

    @Test
    @Order(4)
    void theE2eTargetResolverReadsThatExactDocument() {
        Targets fromDocument = Targets.fromOutputsJson(outputsJson);
        assertEquals(URI.create(strip(outputs.string("dashboard_function_url").orElseThrow())), fromDocument.dashboardUrl());
        assertEquals(URI.create(strip(outputs.string("sse_lambda_function_url").orElseThrow())), fromDocument.sseUrl());
        assertFalse(fromDocument.sseFallsBackToDashboard());

        // And the resolver's own terraform option, running the real binary in that directory.
        Targets resolved = new TargetResolver(new TerraformCli(), env -> {
            throw new AssertionError("must not start a local stack");
        }).resolve(Map.of("E2E_TERRAFORM_DIR", workDir.toString(), "PULSE_REPO_ROOT", repo.toString()));
        assertEquals(fromDocument.dashboardUrl(), resolved.dashboardUrl());
        assertEquals(fromDocument.sseUrl(), resolved.sseUrl());
    }

    @Test
    @Order(6)
    void diagnoseSeesBothModesAndCatchesAFlippedOne() throws IOException {
        Diagnose diagnose = new Diagnose(lambda, logs, alarms);
        DiagnoseReport healthy = diagnose.run(outputs);
        assertTrue(healthy.ok(), healthy::render);
        assertTrue(healthy.dashboardLink().endsWith("#dashboards/dashboard/pulse-preprod"), healthy::render);
        String sse = outputs.string("sse_function_name").orElseThrow();
        try {
            assertEquals(0, makeDiagnose(), "make diagnose on a healthy deployment");

            // moto's UpdateFunctionUrlConfig ignores InvokeMode, so the flip recreates the URL config.
            recreateUrl(sse, InvokeMode.BUFFERED);
            DiagnoseReport flipped = diagnose.run(outputs);
            assertFalse(flipped.ok(), flipped::render);
            assertTrue(flipped.check("sse invoke mode").detail().contains("is BUFFERED, expected RESPONSE_STREAM"),
                    flipped::render);
            assertTrue(flipped.check("dashboard invoke mode").ok(), flipped::render);
            assertEquals(1, makeDiagnose(), "make diagnose on a BUFFERED SSE URL");
        } finally {
            recreateUrl(sse, InvokeMode.RESPONSE_STREAM);
        }
        assertTrue(diagnose.run(outputs).check("sse invoke mode").ok(), "RESPONSE_STREAM again after the flip back");
    }

    /**
     * DiagnoseMain, which is what `make diagnose` runs: outputs from E2E_OUTPUTS_FILE, SDK clients from the default
     * chain, pointed at moto here through the SDK's system properties (set for this call only).
     */
    private int makeDiagnose() throws IOException {
        Path outputsFile = Files.writeString(workDir.resolve("outputs.json"), outputsJson);
        Map<String, String> previous = setSdkProperties(Map.of("aws.endpointUrl", moto.endpoint().toString(),
                "aws.accessKeyId", "test", "aws.secretAccessKey", "test"));
        try {
            return DiagnoseMain.run(Map.of("E2E_OUTPUTS_FILE", outputsFile.toString(), "AWS_REGION", "us-east-1"));
        } finally {
            setSdkProperties(previous);
        }
    }

    /** Sets (or, for a null value, clears) system properties; returns the previous values. */
    private static Map<String, String> setSdkProperties(Map<String, String> properties) {
        Map<String, String> previous = new HashMap<>();
        properties.forEach((k, v) -> {
            previous.put(k, System.getProperty(k));
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        return previous;
    }

    private void recreateUrl(String function, InvokeMode mode) {
        var current = lambda.getFunctionUrlConfig(b -> b.functionName(function));
        lambda.deleteFunctionUrlConfig(b -> b.functionName(function));
        lambda.createFunctionUrlConfig(b -> b.functionName(function).authType(current.authType()).cors(current.cors())
                .invokeMode(mode));
    }

    @Test
    @Order(7)
    void aPublicUrlWithoutAWriteKeyDoesNotPlan() {
        String plan = planWithoutKey.replaceAll("\\s+", " "); // terraform wraps its messages
        assertTrue(plan.contains("Error: Invalid value for variable"), planWithoutKey);
        assertTrue(plan.contains("authorization_type is NONE and no write key is given"), planWithoutKey);
        assertTrue(plan.contains("set allow_open_writes = true"), "says how to choose open writes:\n" + planWithoutKey);
    }

    @Test
    @Order(8)
    void neitherTheFunctionsConfigurationNorTheStateHoldsTheKey() throws IOException {
        Map<String, String> dashboardEnv = lambda.getFunctionConfiguration(
                b -> b.functionName(outputs.string("dashboard_function_name").orElseThrow())).environment().variables();
        assertEquals(Terraform.sha256Hex(API_KEY) + "," + PREVIOUS_DIGEST, dashboardEnv.get("PULSE_API_KEY_SHA256"),
                "the key's digest (computed by Terraform) and, during a rotation, the old key's");
        assertFalse(dashboardEnv.containsKey("PULSE_API_KEY"), dashboardEnv.keySet()::toString);
        for (String function : List.of(outputs.string("dashboard_function_name").orElseThrow(),
                outputs.string("sse_function_name").orElseThrow())) {
            String config = lambda.getFunctionConfiguration(b -> b.functionName(function)).toString()
                    + lambda.getFunction(b -> b.functionName(function)).configuration().environment().variables();
            assertFalse(config.contains(API_KEY), function + "'s configuration holds the key");
        }

        Path state = workDir.resolve("terraform.tfstate");
        String stateText = Files.readString(state, StandardCharsets.UTF_8);
        assertTrue(stateText.contains(Terraform.sha256Hex(API_KEY)), "this is the state of the apply: it holds the digest");
        assertFalse(stateText.contains(API_KEY), "the state file holds the plaintext key");
        Terraform.Result pulled = terraform.terraform("state", "pull");
        assertTrue(pulled.ok(), pulled::tail);
        assertFalse(pulled.output().contains(API_KEY), "terraform state pull holds the plaintext key");
    }

    /** Before the invoke-mode flip below, which gives the SSE function a new URL. */
    @Test
    @Order(5)
    void theAlarmsExistAndDiagnoseReportsOneInAlarm() throws Exception {
        List<String> names = new ArrayList<>();
        outputs.value("alarm_names").orElseThrow(() -> new AssertionError("no alarm_names output: " + outputsJson))
                .forEach(name -> names.add(name.asText()));
        assertEquals(List.of("pulse-preprod-sse-throttles", "pulse-preprod-dashboard-errors", "pulse-preprod-sse-errors"), names);
        Map<String, CloudWatchAlarms.Alarm> found = new HashMap<>();
        alarms.describe(names).forEach(alarm -> found.put(alarm.name(), alarm));
        assertEquals(names.size(), found.size(), "every alarm the outputs name exists: " + found);
        assertEquals("Throttles", found.get("pulse-preprod-sse-throttles").metric());
        assertEquals("Errors", found.get("pulse-preprod-dashboard-errors").metric());
        assertEquals("Errors", found.get("pulse-preprod-sse-errors").metric());

        Diagnose diagnose = new Diagnose(lambda, logs, alarms);
        assertTrue(diagnose.run(outputs).ok(), () -> diagnose.run(outputs).render());
        try {
            alarms.setState("pulse-preprod-sse-throttles", "ALARM", "Threshold Crossed: 4 datapoints were >= 1.0");
            var report = diagnose.run(outputs);
            assertFalse(report.ok(), report::render);
            assertTrue(report.check("alarm pulse-preprod-sse-throttles").detail().startsWith("in ALARM (Throttles)"),
                    report::render);
            assertEquals(1, makeDiagnose(), "make diagnose with an alarm in ALARM");
        } finally {
            alarms.setState("pulse-preprod-sse-throttles", "OK", "reset by the test");
        }
        assertTrue(diagnose.run(outputs).ok(), "OK again once the alarm is");
    }

    /** Least privilege (docs/architecture.md, "Terraform"): each function's role (made by the function module) may write its own logs, the dashboard
     * may read and write the table, the SSE function may only read it; nothing else. */
    @Test
    @Order(8)
    void eachRoleMayDoOnlyWhatItsFunctionNeeds() throws IOException {
        JsonNode state = appliedState();
        Map<String, Set<String>> dashboard = statements(state.path("values"), "module.dashboard.aws_iam_role_policy.this");
        Map<String, Set<String>> sse = statements(state.path("values"), "module.sse.aws_iam_role_policy.this");
        Set<String> logs = Set.of("logs:CreateLogStream", "logs:PutLogEvents");
        assertEquals(Map.of("OwnLogs", logs, "ItemsReadWrite",
                Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem")), dashboard);
        assertEquals(Map.of("OwnLogs", logs, "ItemsReadOnly", Set.of("dynamodb:GetItem", "dynamodb:Query")), sse);
        for (String module : List.of("dashboard", "sse")) {
            String role = resource(state.path("values"), "module." + module + ".aws_iam_role.this").path("values")
                    .path("name").asText();
            assertEquals("pulse-preprod-" + module + "-role", role);
        }
    }

    /**
     * {@code terraform show -json} of the applied state, read once: no test before the SnapStart update changes the
     * state file after the apply (the invoke-mode flip goes through the Lambda API).
     */
    private JsonNode appliedState() throws IOException {
        if (appliedState == null) {
            Terraform.Result show = terraform.terraform("show", "-json", "-no-color");
            assertTrue(show.ok(), show::tail);
            appliedState = MAPPER.readTree(show.output());
        }
        return appliedState;
    }

    /** Sid → actions of the inline policy at {@code address} in a {@code terraform show -json} state. */
    private static Map<String, Set<String>> statements(JsonNode values, String address) throws IOException {
        JsonNode policy = MAPPER.readTree(resource(values, address).path("values").path("policy").asText());
        Map<String, Set<String>> bySid = new TreeMap<>();
        for (JsonNode statement : policy.path("Statement")) {
            assertEquals("Allow", statement.path("Effect").asText(), statement::toString);
            Set<String> actions = new TreeSet<>();
            JsonNode action = statement.path("Action");
            if (action.isArray()) {
                action.forEach(a -> actions.add(a.asText()));
            } else {
                actions.add(action.asText());
            }
            bySid.put(statement.path("Sid").asText(), actions);
        }
        return bySid;
    }

    /** The resource at {@code address} in a state's or a plan's {@code values} ({@code root_module} and its children). */
    private static JsonNode resource(JsonNode values, String address) {
        return findResource(values, address).orElseThrow(() -> new AssertionError(address + " is not in the state"));
    }

    private static boolean hasResource(JsonNode values, String address) {
        return findResource(values, address).isPresent();
    }

    private static Optional<JsonNode> findResource(JsonNode values, String address) {
        List<JsonNode> modules = new ArrayList<>();
        modules.add(values.path("root_module"));
        for (int i = 0; i < modules.size(); i++) {
            modules.get(i).path("child_modules").forEach(modules::add);
            for (JsonNode r : modules.get(i).path("resources")) {
                if (r.path("address").asText().equals(address)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    @Order(8)
    void byDefaultNothingIsPublishedAndEachUrlIsOnItsFunction() throws IOException {
        JsonNode values = appliedState().path("values");
        for (String function : FUNCTIONS) {
            String module = "module." + function;
            JsonNode lambdaFunction = resource(values, module + ".aws_lambda_function.this").path("values");
            assertFalse(lambdaFunction.path("publish").asBoolean(), function + ": no published versions");
            assertEquals(0, lambdaFunction.path("snap_start").size(), function + ": no snap_start block");
            assertFalse(hasResource(values, module + ".aws_lambda_alias.live[0]"), function + ": no alias");
            assertTrue(resource(values, module + ".aws_lambda_function_url.this").path("values").path("qualifier")
                    .asText("").isEmpty(), function + ": the URL serves $LATEST");
        }
    }

    @Test
    @Order(9)
    void snapStartPlansSnapshotsAndPutsTheUrlAndItsPermissionsOnTheAliasOfTheNewestVersion() throws IOException {
        Terraform.Result planned = terraform.terraform(withKey("plan", "-input=false", "-no-color", "-lock=false",
                "-refresh=false", "-out=snap-start.tfplan", "-var", "snap_start=true"));
        assertTrue(planned.ok(), planned::tail);
        Terraform.Result shown = terraform.terraform("show", "-json", "-no-color", "snap-start.tfplan");
        assertTrue(shown.ok(), shown::tail);
        JsonNode plan = MAPPER.readTree(shown.output());
        for (String function : FUNCTIONS) {
            String module = "module." + function;
            JsonNode lambdaFunction = change(plan, module + ".aws_lambda_function.this").path("after");
            assertTrue(lambdaFunction.path("publish").asBoolean(), function + ": publish = true");
            assertEquals("PublishedVersions", lambdaFunction.path("snap_start").path(0).path("apply_on").asText(),
                    function + ": " + lambdaFunction.path("snap_start"));

            JsonNode alias = change(plan, module + ".aws_lambda_alias.live[0]");
            assertEquals("live", alias.path("after").path("name").asText());
            assertEquals("pulse-preprod-" + function, alias.path("after").path("function_name").asText());
            assertTrue(alias.path("after_unknown").path("function_version").asBoolean(),
                    function + ": the alias follows the version this apply publishes");

            assertEquals("live", change(plan, module + ".aws_lambda_function_url.this").path("after")
                    .path("qualifier").asText(), function + ": the URL is on the alias");
            for (String permission : List.of("public_url[0]", "public_invoke[0]")) {
                assertEquals("live", change(plan, module + ".aws_lambda_permission." + permission).path("after")
                        .path("qualifier").asText(), function + " " + permission + ": in the alias's policy");
            }
        }
    }

    @Test
    @Order(10)
    void snapStartAppliedToTheRunningStackPutsEachUrlOnItsAliasAndDiagnoseFindsItThere() throws IOException {
        snapStart = true;   // from here on, a destroy must pass the setting the state has
        Terraform.Result apply = terraform.terraform(withKey("apply", "-auto-approve", "-input=false", "-no-color"));
        assertTrue(apply.ok(), () -> "terraform apply of snap_start = true failed:\n" + apply.tail());
        Terraform.Result output = terraform.terraform("output", "-json", "-no-color");
        assertTrue(output.ok(), output::tail);
        TerraformOutputs updated = TerraformOutputs.parse(output.output(), "terraform output -json");

        for (String function : FUNCTIONS) {
            String name = "pulse-preprod-" + function;
            String aliased = lambda.getAlias(b -> b.functionName(name).name("live")).functionVersion();
            List<String> versions = lambda.listVersionsByFunction(b -> b.functionName(name)).versions().stream()
                    .map(FunctionConfiguration::version).toList();
            assertTrue(aliased.matches("\\d+") && versions.contains(aliased),
                    function + ": live is on a published version (" + aliased + " of " + versions + ")");
        }
        DiagnoseReport report = new Diagnose(lambda, logs).run(updated);
        assertTrue(report.ok(), report::render);
        for (String function : FUNCTIONS) {
            assertTrue(report.check(function + " url").detail().endsWith(" (on alias live)"), report::render);
        }
    }

    /** The planned change at {@code address}; fails when the plan has none. */
    private static JsonNode change(JsonNode plan, String address) {
        for (JsonNode change : plan.path("resource_changes")) {
            if (change.path("address").asText().equals(address)) {
                return change.path("change");
            }
        }
        throw new AssertionError(address + " is not in the plan");
    }

    @Test
    @Order(11)
    void terraformDestroyRemovesEverything() throws IOException {
        Terraform.Result destroy = terraform.terraform(withKey("destroy", "-auto-approve", "-input=false", "-no-color"));
        destroyed = destroy.ok();
        assertTrue(destroy.ok(), () -> "terraform destroy failed:\n" + destroy.tail());
        assertTrue(lambda.listFunctions().functions().isEmpty(), "no function left after destroy");
    }

    private static String strip(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
