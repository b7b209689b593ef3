package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.testing.SseFrame;
import dev.pulse.testing.SseReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proof by mutation that the local stack runs what terraform/ plans (the infra tier: it needs terraform).
 * Each test changes settings in a scratch copy of terraform/ (the committed description included, now
 * stale), starts {@code java -jar local-lambda.jar} on that copy as `make run` would, and sees the stack
 * regenerate the description and run the change: a BUFFERED SSE URL fails PulseArtifactsIT's stream check
 * with its "first event after N ms" message; a changed SSE_POLL_INTERVAL_MS reaches the function, and a shorter
 * SSE timeout ends streams at the new deadline; sse_capacity_mode = "managed_instances" in the tfvars is described
 * and runs pre-started environments with their concurrency, while a plan without the description's marker refuses
 * it with the message that names terraform/managed-instances; snap_start = true is described and both real artifacts
 * do SnapStart's restore handshake. About 30 s per stack (the plan takes about 10 of them).
 */
@Tag("infra")
class TerraformMutationIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<Path> copies = new ArrayList<>();

    @BeforeAll
    static void needsTerraform() {
        assumeTrue(LocalFunctionsFile.terraformOnPath(System.getenv()).isPresent(),
                "terraform is not on PATH: the terraform/ mutation tests are skipped (docs/testing.md, 'What the tests need')");
        RealArtifacts.require();
    }

    @Test
    void aBufferedSseUrlInTerraformMakesTheStreamWaitAndFailsTheStreamCheck() throws Exception {
        Path module = mutatedCopy("sse.tf", "invoke_mode        = \"RESPONSE_STREAM\"", "invoke_mode        = \"BUFFERED\"");
        // A 3 s stream, as PulseArtifactsIT's buffered case: the buffered URL sends it all when it ends.
        try (StackProcess stack = start(module, Map.of("SSE_MAX_STREAM_SECONDS", "3"))) {
            assertRegenerated(stack, module);
            assertEquals("BUFFERED", described(module, "sse").url().invokeMode());
            assertTrue(stack.console().contains("sse function URL (BUFFERED)"), stack.console());

            AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                    () -> StreamChecks.firstEventArrivesWellUnderASecond(stack.url("sse_lambda_function_url")));
            Matcher millis = Pattern.compile("first event after (\\d+) ms").matcher(failure.getMessage());
            assertTrue(millis.find(), failure.getMessage());
            assertTrue(Long.parseLong(millis.group(1)) >= 2500, "held back until the 3 s stream ended: " + failure.getMessage());
        }
    }

    /** One mutant with two changes (one regeneration and one stack instead of two): each is checked on its own. */
    @Test
    void anEnvironmentVariableAndATimeoutChangedInTerraformAreWhatTheFunctionGets() throws Exception {
        LocalFunctions.Function committed = described(repoTerraform(), "sse");
        assertEquals("1000", committed.environment().get("SSE_POLL_INTERVAL_MS"), "the committed value");
        assertEquals(900, committed.timeoutSeconds(), "the committed value");
        Path module = mutatedCopy("variables.tf",
                "(variable \"sse_poll_interval_ms\" \\{[^}]*?default\\s+=\\s+)1000", "$1250");
        mutate(module, "sse.tf", "timeout_seconds      = 900", "timeout_seconds      = 8");
        try (StackProcess stack = start(module, Map.of())) {
            assertRegenerated(stack, module);
            assertEquals("250", described(module, "sse").environment().get("SSE_POLL_INTERVAL_MS"));
            assertEquals(8, described(module, "sse").timeoutSeconds());

            // The variable: the function reports what it read.
            URI sse = stack.url("sse_lambda_function_url");
            HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(sse.resolve("api/v2/stream/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode(), status.body());
            assertEquals(250, MAPPER.readTree(status.body()).path("poll_interval_ms").asInt(), status.body());

            // The timeout: SSE_MAX_STREAM_SECONDS stays 50, and the function ends its stream 5 s before the 8 s deadline.
            long start = System.currentTimeMillis();
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(sse.resolve("api/v2/stream"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            SseFrame.Event event;
            try (SseReader events = new SseReader(response.body())) {
                while ((event = events.nextEvent()) != null && !event.type().equals("reconnect")) {
                    // the snapshot
                }
            }
            long after = System.currentTimeMillis() - start;
            assertTrue(event != null, "the stream ended without reconnect");
            assertEquals("deadline", MAPPER.readTree(event.data()).path("reason").asText(), event.data());
            assertTrue(after >= 2000 && after < 8000, "reconnect after " + after + " ms, expected about 3 s");
        }
    }

    /** What a deployer writes into envs/preprod.tfvars to choose Managed Instances (the VPC ids are examples). */
    private static final String MANAGED_INSTANCES = """
            $1
            sse_capacity_mode                        = "managed_instances"
            sse_per_environment_max_concurrency      = 4
            sse_min_execution_environments           = 2
            sse_capacity_provider_vpc_id             = "vpc-0123456789abcdef0"
            sse_capacity_provider_subnet_ids         = ["subnet-0123456789abcdef0"]
            sse_capacity_provider_security_group_ids = ["sg-0123456789abcdef0"]""";

    @Test
    void managedInstancesChosenInTerraformAreDescribedAndRunPreStartedWithTheirConcurrency() throws Exception {
        Path module = mutatedCopy("envs/preprod.tfvars", "(log_retention_days\\s+=\\s+7)", MANAGED_INSTANCES);
        try (StackProcess stack = start(module, Map.of())) {
            assertRegenerated(stack, module);
            LocalFunctions.Function sse = described(module, "sse");
            assertEquals(LocalFunctions.Capacity.managedInstances(4, 2), sse.capacity(), "the sse_capacity output");
            assertEquals(2048, sse.memoryMb(), "sse_managed_instances_memory_mb, as planned");
            assertEquals(LocalFunctions.Capacity.ON_DEMAND, described(module, "dashboard").capacity());
            assertTrue(stack.console().contains("2048 MB, timeout 900 s, Managed Instances: 2 environments x 4"),
                    stack.console());
            // Both environments started with the function: the stack's one /health request would have started one.
            assertTrue(stack.console().contains("[sse] env 2: starting (2/2 environments, 4 invocations each)"),
                    stack.console());
            StreamChecks.firstEventArrivesWellUnderASecond(stack.url("sse_lambda_function_url"));
        }
    }

    /**
     * snap_start = true in the tfvars: both functions are described with SnapStart and their URLs on the alias live,
     * and the real artifacts start as SnapStart restores them: the dashboard's official RIC and the SSE function's own
     * runtime each end init with the restore handshake, and then serve.
     */
    @Test
    void snapStartChosenInTerraformIsDescribedAndBothArtifactsDoTheRestoreHandshake() throws Exception {
        Path module = mutatedCopy("envs/preprod.tfvars", "(log_retention_days\\s+=\\s+7)", "$1\nsnap_start = true");
        try (StackProcess stack = start(module, Map.of())) {
            assertRegenerated(stack, module);
            for (String function : List.of("dashboard", "sse")) {
                LocalFunctions.Function described = described(module, function);
                assertTrue(described.snapStart(), function);
                assertEquals("live", described.url().qualifier(), function);
            }
            StreamChecks.firstEventArrivesWellUnderASecond(stack.url("sse_lambda_function_url"));
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(stack.url("dashboard_function_url")
                    .resolve("health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            for (String function : List.of("dashboard", "sse")) {
                assertTrue(line(stack, "[local] " + function + ": ", ", SnapStart (URL on alias live; init ends with "
                        + "/restore/next"), stack.console());
                assertTrue(line(stack, "[" + function + "] env 1: init done in ", "/runtime/restore/next answered at once"),
                        stack.console());
                assertTrue(line(stack, "[" + function + "] env 1: ready (init ", "after-restore hooks"), stack.console());
                assertFalse(stack.console().contains("[" + function + "] env 1: the runtime asked for an invocation "
                        + "without the restore handshake"), stack.console());
            }
        }
    }

    @Test
    void withoutTheDescriptionsMarkerTheRootRefusesToPlanManagedInstancesAndNamesTheRootThatDeploysThem()
            throws Exception {
        Path module = mutatedCopy("envs/preprod.tfvars", "(log_retention_days\\s+=\\s+7)", MANAGED_INSTANCES);
        List<String> deployment = TerraformPlan.PLANNED_WITH.stream()
                .filter(argument -> !argument.startsWith("-var=local_description=")).toList();
        assertEquals(TerraformPlan.PLANNED_WITH.size() - 1, deployment.size(), "the marker is one argument");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> TerraformPlan.showJson(RealArtifacts.repoRoot(), module, deployment));
        String message = refused.getMessage().replaceAll("\\s+", " ");
        assertTrue(message.contains("Managed Instances need hashicorp/aws >= 6.54. Plan and apply "
                + "terraform/managed-instances (scripts/terraform-env.sh does when sse_capacity_mode is managed_instances)"),
                refused.getMessage());
    }

    @AfterEach
    void deleteCopies() {
        copies.forEach(TerraformMutationIT::deleteTree);
        copies.clear();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    /** Whether one console line starts with {@code start} and contains {@code part}. */
    private static boolean line(StackProcess stack, String start, String part) {
        return stack.console().lines().anyMatch(line -> line.startsWith(start) && line.contains(part));
    }

    private static void assertRegenerated(StackProcess stack, Path module) {
        assertTrue(stack.console().contains(module + "/ changed since " + module.resolve(LocalFunctionsFile.NAME)
                + " was made: regenerating it with terraform plan"), stack.console());
    }

    private static Path repoTerraform() {
        return RealArtifacts.repoRoot().resolve("terraform");
    }

    private static LocalFunctions.Function described(Path module, String function) {
        return LocalFunctions.read(module.resolve(LocalFunctionsFile.NAME)).functions().get(function);
    }

    /** terraform/ (with its committed description) copied to a scratch directory, one file changed by a regex. */
    private Path mutatedCopy(String file, String regex, String replacement) throws IOException {
        Path scratch = Files.createTempDirectory("pulse-mutant-");
        copies.add(scratch);
        Path copy = scratch.resolve("terraform");
        try (Stream<Path> files = Files.walk(repoTerraform())) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                Path relative = repoTerraform().relativize(source);
                if (relative.startsWith(".terraform") || relative.toString().contains(".tfstate")) {
                    continue;
                }
                Files.createDirectories(copy.resolve(relative).getParent());
                Files.copy(source, copy.resolve(relative));
            }
        }
        mutate(copy, file, regex, replacement);
        return copy;
    }

    /** Replaces the one match of {@code regex} in the copy's {@code file}. */
    private static void mutate(Path copy, String file, String regex, String replacement) throws IOException {
        String text = Files.readString(copy.resolve(file));
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), regex + " is not in terraform/" + file + ": update this test");
        assertFalse(matcher.find(), regex + " is in terraform/" + file + " more than once");
        Files.writeString(copy.resolve(file), Pattern.compile(regex).matcher(text).replaceFirst(replacement));
    }

    /** {@code java -jar target/local-lambda.jar} on a module copy (see {@link StackProcess}). */
    private static StackProcess start(Path module, Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("PULSE_TERRAFORM_DIR", module.toString());
        all.put("PULSE_FUNCTIONS_REFRESH", "auto"); // also under CI=true: regenerating is what is tested
        return StackProcess.start(all);
    }
}
