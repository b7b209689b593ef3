package dev.pulse.e2e.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.e2e.RepoRoot;
import dev.pulse.e2e.TempDirs;
import dev.pulse.e2e.TerraformOutputs;
import dev.pulse.e2e.diagnose.Diagnose;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code snap_start} in the real root module: what each value plans (provider 5.100, the offline tiers' provider), and
 * an apply of {@code snap_start = true} to moto, read back with the SDK and diagnose, then destroyed. (The default is
 * what TerraformApplyIT applies.)
 *
 * <p>What moto keeps of it: the published version, the alias on it, the URL and the permissions. What it does not:
 * the SnapStart setting (GetFunction answers {@code ApplyOn: None}, as it keeps no LoggingConfig either) and the
 * qualifier of a URL or a permission (one URL config and one policy per function). Those two are proven by the plan.
 */
@Tag("infra")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapStartIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FUNCTIONS = List.of("dashboard", "sse");

    private Path repo;
    private Path workDir;
    private MotoServer moto;
    private Terraform terraform;
    private LambdaClient lambda;
    private CloudWatchLogsClient logs;
    private boolean applied;

    @BeforeAll
    void start() throws IOException {
        Path terraformBin = Executables.onPath("terraform").orElse(null);
        assumeTrue(terraformBin != null, "terraform is not on PATH: infra tier skipped (see docs/testing.md, 'What the tests need')");
        Path motoServer = Executables.onPath("moto_server").orElse(null);
        assumeTrue(motoServer != null, "moto_server is not on PATH: infra tier skipped (make tools installs it)");
        repo = RepoRoot.find(System.getenv()).orElseThrow(() -> new IllegalStateException("repository root not found"));
        assertTrue(Files.isRegularFile(repo.resolve("dashboard-handler/target/dashboard-handler.jar"))
                        && Files.isRegularFile(repo.resolve("sse-handler/target/sse-handler.zip")),
                "the function artifacts are missing: run `make build` (or the whole reactor) first");

        moto = MotoServer.start(motoServer, Duration.ofSeconds(30));
        workDir = Files.createTempDirectory("pulse-snap-start");
        Terraform.copyModule(repo.resolve("terraform"), workDir);
        Files.writeString(workDir.resolve("zz_infra_tier_override.tf"), Terraform.motoOverride(moto.endpoint()));
        terraform = new Terraform(workDir);
        Terraform.Result init = terraform.run(List.of(repo.resolve("scripts/terraform-init.sh").toString(),
                workDir.toString(), "-no-color"));
        assertTrue(init.ok(), () -> "terraform init failed:\n" + init.tail());

        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        lambda = LambdaClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(moto.endpoint()).httpClient(UrlConnectionHttpClient.create()).build();
        logs = CloudWatchLogsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(moto.endpoint()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (applied) {
                terraform.terraform(args("destroy", "-auto-approve", "-input=false", "-no-color", "-var", "snap_start=true"));
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

    /** terraform args + the preprod settings, a write key, the artifacts just built. */
    private String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-var-file=envs/preprod.tfvars", "-var", "api_key=snap-start-infra-key",
                "-var", "dashboard_artifact=" + repo.resolve("dashboard-handler/target/dashboard-handler.jar"),
                "-var", "sse_artifact=" + repo.resolve("sse-handler/target/sse-handler.zip")));
        return all.toArray(String[]::new);
    }

    /** {@code terraform show -json} of a plan against the empty state with the extra {@code -var}s. */
    private JsonNode plan(String name, String... vars) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("plan", "-input=false", "-no-color", "-lock=false",
                "-refresh=false", "-out=" + name));
        arguments.addAll(List.of(vars));
        Terraform.Result plan = terraform.terraform(args(arguments.toArray(String[]::new)));
        assertTrue(plan.ok(), plan::tail);
        Terraform.Result shown = terraform.terraform("show", "-json", "-no-color", name);
        assertTrue(shown.ok(), shown::tail);
        return MAPPER.readTree(shown.output());
    }

    /** The planned change at {@code address}, or null when the plan has none. */
    private static JsonNode change(JsonNode plan, String address) {
        for (JsonNode change : plan.path("resource_changes")) {
            if (change.path("address").asText().equals(address)) {
                return change.path("change");
            }
        }
        return null;
    }

    @Test
    @Order(1)
    void byDefaultNothingIsPublishedAndEachUrlIsOnItsFunction() throws IOException {
        JsonNode plan = plan("default.tfplan");
        for (String function : FUNCTIONS) {
            String module = "module." + function;
            JsonNode lambdaFunction = change(plan, module + ".aws_lambda_function.this").path("after");
            assertFalse(lambdaFunction.path("publish").asBoolean(), function + ": no published versions");
            assertEquals(0, lambdaFunction.path("snap_start").size(), function + ": no snap_start block");
            assertEquals(null, change(plan, module + ".aws_lambda_alias.live[0]"), function + ": no alias");
            assertTrue(change(plan, module + ".aws_lambda_function_url.this").path("after").path("qualifier").isNull(),
                    function + ": the URL serves $LATEST");
            for (String permission : List.of("public_url[0]", "public_invoke[0]")) {
                assertTrue(change(plan, module + ".aws_lambda_permission." + permission).path("after").path("qualifier")
                        .isNull(), function + " " + permission);
            }
        }
    }

    @Test
    @Order(2)
    void snapStartPublishesSnapshotsAndPutsTheUrlAndItsPermissionsOnTheAliasOfTheNewestVersion() throws IOException {
        JsonNode plan = plan("snap-start.tfplan", "-var", "snap_start=true");
        for (String function : FUNCTIONS) {
            String module = "module." + function;
            JsonNode lambdaFunction = change(plan, module + ".aws_lambda_function.this");
            assertTrue(lambdaFunction.path("after").path("publish").asBoolean(), function + ": publish = true");
            assertEquals("PublishedVersions", lambdaFunction.path("after").path("snap_start").path(0).path("apply_on").asText(),
                    function + ": " + lambdaFunction.path("after").path("snap_start"));

            JsonNode alias = change(plan, module + ".aws_lambda_alias.live[0]");
            assertTrue(alias != null, function + ": the alias");
            assertEquals("live", alias.path("after").path("name").asText());
            assertEquals("pulse-preprod-" + function, alias.path("after").path("function_name").asText());
            assertTrue(alias.path("after_unknown").path("function_version").asBoolean(),
                    function + ": the alias follows the version this apply publishes");

            assertEquals("live", change(plan, module + ".aws_lambda_function_url.this").path("after").path("qualifier")
                    .asText(), function + ": the URL is on the alias");
            for (String permission : List.of("public_url[0]", "public_invoke[0]")) {
                assertEquals("live", change(plan, module + ".aws_lambda_permission." + permission).path("after")
                        .path("qualifier").asText(), function + " " + permission + ": in the alias's policy");
            }
        }
    }

    @Test
    @Order(3)
    void snapStartAppliesAndDiagnoseFindsEachUrlOnItsAlias() throws IOException {
        Terraform.Result apply = terraform.terraform(args("apply", "-auto-approve", "-input=false", "-no-color",
                "-var", "snap_start=true"));
        applied = true; // destroy whatever part of it exists, even after a failure
        assertTrue(apply.ok(), () -> "terraform apply failed:\n" + apply.tail());
        Terraform.Result output = terraform.terraform("output", "-json", "-no-color");
        assertTrue(output.ok(), output::tail);
        TerraformOutputs outputs = TerraformOutputs.parse(output.output(), "terraform output -json");

        for (String function : FUNCTIONS) {
            String name = "pulse-preprod-" + function;
            String aliased = lambda.getAlias(b -> b.functionName(name).name("live")).functionVersion();
            List<String> versions = lambda.listVersionsByFunction(b -> b.functionName(name)).versions().stream()
                    .map(FunctionConfiguration::version).toList();
            assertTrue(aliased.matches("\\d+") && versions.contains(aliased),
                    function + ": live is on a published version (" + aliased + " of " + versions + ")");
        }
        DiagnoseReport report = new Diagnose(lambda, logs).run(outputs);
        assertTrue(report.ok(), report::render);
        for (String role : FUNCTIONS) {
            assertTrue(report.check(role + " url").detail().endsWith(" (on alias live)"), report::render);
        }

        Terraform.Result destroy = terraform.terraform(args("destroy", "-auto-approve", "-input=false", "-no-color",
                "-var", "snap_start=true"));
        applied = !destroy.ok();
        assertTrue(destroy.ok(), () -> "terraform destroy failed:\n" + destroy.tail());
        assertTrue(lambda.listFunctions().functions().isEmpty(), "no function left after destroy");
    }
}
