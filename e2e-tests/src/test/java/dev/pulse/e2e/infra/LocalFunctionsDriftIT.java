package dev.pulse.e2e.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.e2e.RepoRoot;
import dev.pulse.e2e.TempDirs;
import dev.pulse.e2e.local.LocalPulseProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The drift test: terraform/local-functions.json, which the local stack runs, must be what terraform/ plans
 * now. It plans the module with local-lambda's own generator ({@code DescribeFunctionsMain}, offline, into a
 * temporary file) and names every difference. A second case proves it can fail: a copy of the module with a
 * BUFFERED SSE URL and the SSE function on Managed Instances (its capacity, and the memory that mode plans) is
 * reported with exactly those differences.
 */
@Tag("infra")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalFunctionsDriftIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private Path repo;
    private Path jar;

    @BeforeAll
    void needsTerraformAndTheGenerator() {
        assumeTrue(Executables.onPath("terraform").isPresent(),
                "terraform is not on PATH: the local-functions drift test is skipped (docs/testing.md, 'What the tests need')");
        repo = RepoRoot.find(System.getenv()).orElseThrow(() -> new IllegalStateException("repository root not found"));
        jar = repo.resolve("local-lambda/target/local-lambda.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run `make build` (or the whole reactor) first");
    }

    @Test
    void theCommittedDescriptionIsWhatTerraformPlans() throws Exception {
        Path committed = repo.resolve("terraform/local-functions.json");
        assertTrue(Files.isRegularFile(committed), committed + " is missing: run `make local-functions` and commit it");
        List<String> differences = JsonDifferences.between(MAPPER.readTree(committed.toFile()), plan(repo.resolve("terraform")));
        assertTrue(differences.isEmpty(), () -> "terraform/local-functions.json is not what terraform/ plans; the local stack "
                + "would run another configuration than Terraform deploys. Differences:\n" + JsonDifferences.render(differences)
                + "\nRun `make local-functions` and commit terraform/local-functions.json.");
    }

    @Test
    void aChangedModuleIsReportedWithEachDifferenceNamed() throws Exception {
        Path copy = Files.createTempDirectory("pulse-drift-").resolve("terraform");
        try {
            Terraform.copyModule(repo.resolve("terraform"), copy);
            replace(copy.resolve("sse.tf"), "invoke_mode        = \"RESPONSE_STREAM\"", "invoke_mode        = \"BUFFERED\"");
            replace(copy.resolve("envs/preprod.tfvars"), "log_retention_days             = 7", """
                    log_retention_days             = 7
                    sse_capacity_mode = "managed_instances"
                    sse_capacity_provider_vpc_id = "vpc-0123456789abcdef0"
                    sse_capacity_provider_subnet_ids = ["subnet-0123456789abcdef0"]
                    sse_capacity_provider_security_group_ids = ["sg-0123456789abcdef0"]
                    """);
            JsonNode committed = MAPPER.readTree(copy.resolve("local-functions.json").toFile());
            List<String> differences = JsonDifferences.between(committed, plan(copy));
            String sseMemory = committed.at("/functions/sse/memory_mb").toString();
            assertEquals(List.of(
                    "functions.sse.capacity.min_execution_environments: only in the plan (3)",
                    "functions.sse.capacity.mode: committed \"on_demand\", planned \"managed_instances\"",
                    "functions.sse.capacity.per_environment_max_concurrency: only in the plan (64)",
                    "functions.sse.memory_mb: committed " + sseMemory + ", planned 2048",
                    "functions.sse.url.invoke_mode: committed \"RESPONSE_STREAM\", planned \"BUFFERED\""),
                    differences.stream().filter(d -> !d.startsWith("module_sha256:")).toList());
            assertTrue(differences.stream().anyMatch(d -> d.startsWith("module_sha256: committed")), differences::toString);
        } finally {
            TempDirs.deleteTree(copy.getParent());
        }
    }

    /** What {@code module} plans, as local-lambda's generator writes it. */
    private JsonNode plan(Path module) throws IOException, InterruptedException {
        Path out = Files.createTempFile("local-functions", ".json");
        Path log = Files.createTempFile("local-functions", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(LocalPulseProcess.javaExecutable(), "-cp", jar.toString(),
                    "dev.pulse.local.DescribeFunctionsMain",
                    "--terraform-dir", module.toString(), "--out", out.toString())
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("PULSE_REPO_ROOT", repo.toString());
            Process process = builder.start();
            assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the generator took more than 5 minutes");
            assertEquals(0, process.exitValue(), () -> "the generator failed:\n" + read(log));
            return MAPPER.readTree(out.toFile());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(log);
        }
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), from + " is not in " + file.getFileName() + ": update this test");
        Files.writeString(file, text.replace(from, to));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
