package dev.pulse.e2e.infra;

import dev.pulse.e2e.RepoRoot;
import dev.pulse.e2e.TargetResolver;
import dev.pulse.e2e.Targets;
import dev.pulse.e2e.TerraformCli;
import dev.pulse.e2e.TerraformOutputs;
import dev.pulse.e2e.diagnose.Diagnose;
import dev.pulse.e2e.diagnose.DiagnoseMain;
import dev.pulse.e2e.diagnose.DiagnoseReport;
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
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.InvokeMode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
 */
@Tag("infra")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerraformApplyIT {
    private static final List<String> OUTPUTS = List.of("dashboard_function_url", "sse_lambda_function_url",
            "dashboard_function_name", "sse_function_name", "table_name", "dashboard_log_group", "sse_log_group");

    private Path repo;
    private Path workDir;
    private MotoServer moto;
    private Terraform terraform;
    private LambdaClient lambda;
    private CloudWatchLogsClient logs;
    private String outputsJson;
    private TerraformOutputs outputs;
    private boolean applied;
    private boolean destroyed;

    @BeforeAll
    void applyTheRootModule() throws IOException {
        Path terraformBin = Executables.onPath("terraform").orElse(null);
        assumeTrue(terraformBin != null, "terraform is not on PATH: infra tier skipped (see README, Prerequisites)");
        Path motoServer = Executables.onPath("moto_server").orElse(null);
        assumeTrue(motoServer != null, "moto_server is not on PATH: infra tier skipped (make tools installs it)");

        repo = RepoRoot.find(System.getenv()).orElseThrow(() -> new IllegalStateException("repository root not found"));
        Path dashboardJar = repo.resolve("dashboard-handler/target/dashboard-handler.jar");
        Path sseZip = repo.resolve("sse-handler/target/sse-handler.zip");
        assertTrue(Files.isRegularFile(dashboardJar) && Files.isRegularFile(sseZip),
                "the function artifacts are missing: run `make build` (or the whole reactor) first");

        moto = MotoServer.start(motoServer, Duration.ofSeconds(30));
        workDir = Files.createTempDirectory("pulse-infra-tier");
        copyModule(repo.resolve("terraform"), workDir);
        Files.writeString(workDir.resolve("zz_infra_tier_override.tf"), override(moto.endpoint()));

        terraform = new Terraform(workDir);
        Terraform.Result init = terraform.run(List.of(repo.resolve("scripts/terraform-init.sh").toString(), workDir.toString(),
                "-no-color"));
        assertTrue(init.ok(), () -> "terraform init failed:\n" + init.tail());
        Terraform.Result apply = terraform.terraform("apply", "-auto-approve", "-input=false", "-no-color",
                "-var-file=envs/preprod.tfvars",
                "-var", "dashboard_artifact=" + dashboardJar,
                "-var", "sse_artifact=" + sseZip);
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
    }

    @AfterAll
    void destroyAndStop() throws IOException {
        try {
            if (applied && !destroyed) {
                terraform.terraform("destroy", "-auto-approve", "-input=false", "-no-color", "-var-file=envs/preprod.tfvars",
                        "-var", "dashboard_artifact=" + repo.resolve("dashboard-handler/target/dashboard-handler.jar"),
                        "-var", "sse_artifact=" + repo.resolve("sse-handler/target/sse-handler.zip"));
            }
        } finally {
            if (lambda != null) {
                lambda.close();
                logs.close();
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

        GetFunctionConfigurationResponse dashboard = lambda.getFunctionConfiguration(
                b -> b.functionName(outputs.string("dashboard_function_name").orElseThrow()));
        assertEquals("dev.pulse.dashboard.DashboardHandler::handleRequest", dashboard.handler());
        assertEquals(strip(outputs.string("sse_lambda_function_url").orElseThrow()),
                strip(dashboard.environment().variables().get("SSE_URL")), "the dashboard points browsers at the SSE URL");
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
    @Order(5)
    void diagnoseSeesBothModesAndCatchesAFlippedOne() throws IOException {
        Diagnose diagnose = new Diagnose(lambda, logs);
        DiagnoseReport healthy = diagnose.run(outputs);
        assertTrue(healthy.ok(), healthy::render);
        // DiagnoseMain is what `make diagnose` runs: outputs from E2E_OUTPUTS_FILE, SDK clients from
        // the default chain, pointed at moto here through the SDK's system properties.
        Path outputsFile = Files.writeString(workDir.resolve("outputs.json"), outputsJson);
        Map<String, String> env = Map.of("E2E_OUTPUTS_FILE", outputsFile.toString(), "AWS_REGION", "us-east-1");
        Map<String, String> previous = setSdkProperties(Map.of("aws.endpointUrl", moto.endpoint().toString(),
                "aws.accessKeyId", "test", "aws.secretAccessKey", "test"));
        String sse = outputs.string("sse_function_name").orElseThrow();
        try {
            assertEquals(0, DiagnoseMain.run(env), "make diagnose on a healthy deployment");

            // moto's UpdateFunctionUrlConfig ignores InvokeMode, so the flip recreates the URL config.
            recreateUrl(sse, InvokeMode.BUFFERED);
            DiagnoseReport flipped = diagnose.run(outputs);
            assertFalse(flipped.ok(), flipped::render);
            assertTrue(flipped.check("sse invoke mode").detail().contains("is BUFFERED, expected RESPONSE_STREAM"),
                    flipped::render);
            assertTrue(flipped.check("dashboard invoke mode").ok(), flipped::render);
            assertEquals(1, DiagnoseMain.run(env), "make diagnose on a BUFFERED SSE URL");
        } finally {
            recreateUrl(sse, InvokeMode.RESPONSE_STREAM);
            setSdkProperties(previous);
        }
        assertTrue(diagnose.run(outputs).check("sse invoke mode").ok(), "RESPONSE_STREAM again after the flip back");
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
    @Order(6)
    void terraformDestroyRemovesEverything() throws IOException {
        Terraform.Result destroy = terraform.terraform("destroy", "-auto-approve", "-input=false", "-no-color",
                "-var-file=envs/preprod.tfvars",
                "-var", "dashboard_artifact=" + repo.resolve("dashboard-handler/target/dashboard-handler.jar"),
                "-var", "sse_artifact=" + repo.resolve("sse-handler/target/sse-handler.zip"));
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

    /** Provider endpoints and a local backend, from outside the module (an override file). */
    private static String override(URI endpoint) {
        StringBuilder endpoints = new StringBuilder();
        for (String service : List.of("dynamodb", "iam", "lambda", "logs", "sts")) {
            endpoints.append("    ").append(service).append(" = \"").append(endpoint).append("\"\n");
        }
        return """
                # Written by TerraformApplyIT: the real module, pointed at moto on loopback.
                terraform {
                  backend "local" {}
                }

                provider "aws" {
                  region                      = "us-east-1"
                  access_key                  = "test"
                  secret_key                  = "test"
                  skip_credentials_validation = true
                  skip_requesting_account_id  = true
                  skip_metadata_api_check     = true
                  skip_region_validation      = true

                  endpoints {
                %s  }
                }
                """.formatted(endpoints);
    }

    private static void copyModule(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(source);
                String first = relative.getNameCount() == 0 ? "" : relative.getName(0).toString();
                String name = source.getFileName().toString();
                if (first.equals(".terraform") || name.endsWith(".tfstate") || name.endsWith(".tfstate.backup")
                        || name.equals(".terraform.lock.hcl")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
