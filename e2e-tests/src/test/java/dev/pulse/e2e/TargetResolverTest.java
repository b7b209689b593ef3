package dev.pulse.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetResolverTest {

    @TempDir
    Path repo;

    private final List<Path> terraformCalls = new ArrayList<>();
    private final List<Map<String, String>> localStarts = new ArrayList<>();

    static String doc(String name) {
        try (InputStream in = TargetResolverTest.class.getResourceAsStream("/terraform-outputs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private TargetResolver resolver(String terraformJson) {
        return new TargetResolver(dir -> {
            terraformCalls.add(dir);
            if (terraformJson == null) {
                throw new IOException("terraform output exited with 1: Error: Backend initialization required");
            }
            return terraformJson;
        }, env -> {
            localStarts.add(env);
            return new Targets(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"), "local", List.of());
        });
    }

    private Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("PULSE_REPO_ROOT", repo.toString());
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    private Path terraformDir() throws IOException {
        return Files.createDirectories(repo.resolve("terraform"));
    }

    // --- option 1: environment ---

    @Test
    void envUrlsWinAndTrailingSlashesAreNormalised() throws IOException {
        terraformDir();
        Targets t = resolver(doc("full-with-sensitive-and-extras.json")).resolve(env(
                "DASHBOARD_URL", "https://dash.lambda-url.eu-west-1.on.aws//",
                "SSE_LAMBDA_URL", " https://sse.lambda-url.eu-west-1.on.aws/ ",
                "E2E_OUTPUTS_FILE", "/does/not/matter.json",
                "E2E_TARGET", "local"));
        assertEquals(URI.create("https://dash.lambda-url.eu-west-1.on.aws"), t.dashboardUrl());
        assertEquals(URI.create("https://sse.lambda-url.eu-west-1.on.aws"), t.sseUrl());
        assertEquals(List.of(), t.warnings());
        assertTrue(t.source().contains("DASHBOARD_URL"), t.source());
        assertTrue(terraformCalls.isEmpty(), "terraform must not run when env names the target");
        assertTrue(localStarts.isEmpty());
    }

    @Test
    void preprodApiUrlIsAnAliasForDashboardUrl() {
        Targets t = resolver(null).resolve(env(
                "PREPROD_API_URL", "https://dash.example/", "SSE_LAMBDA_URL", "https://sse.example/"));
        assertEquals(URI.create("https://dash.example"), t.dashboardUrl());
        assertEquals(URI.create("https://sse.example"), t.sseUrl());
        assertTrue(t.source().contains("PREPROD_API_URL"), t.source());
    }

    @Test
    void dashboardUrlWinsOverADifferentAliasWithAWarning() {
        Targets t = resolver(null).resolve(env("DASHBOARD_URL", "https://a.example",
                "PREPROD_API_URL", "https://b.example", "SSE_LAMBDA_URL", "https://sse.example"));
        assertEquals(URI.create("https://a.example"), t.dashboardUrl());
        assertEquals(1, t.warnings().size());
        assertTrue(t.warnings().get(0).contains("differ"), t.warnings().toString());
    }

    @Test
    void sameUrlInBothAliasesIsNotWorthAWarning() {
        Targets t = resolver(null).resolve(env("DASHBOARD_URL", "https://a.example/",
                "PREPROD_API_URL", "https://a.example", "SSE_LAMBDA_URL", "https://sse.example"));
        assertEquals(List.of(), t.warnings());
    }

    @Test
    void dashboardUrlAloneFallsBackToItForStreamsWithAWarning() {
        Targets t = resolver(null).resolve(env("DASHBOARD_URL", "https://dash.example/"));
        assertEquals(URI.create("https://dash.example"), t.sseUrl());
        assertTrue(t.sseFallsBackToDashboard());
        assertEquals(1, t.warnings().size());
        assertTrue(t.warnings().get(0).contains("SSE_LAMBDA_URL is not set"), t.warnings().toString());
    }

    @Test
    void sseUrlWithoutDashboardUrlIsAnError() {
        TargetException e = assertThrows(TargetException.class,
                () -> resolver(null).resolve(env("SSE_LAMBDA_URL", "https://sse.example")));
        assertTrue(e.getMessage().contains("DASHBOARD_URL"), e.getMessage());
    }

    @Test
    void aMalformedEnvUrlNamesTheVariable() {
        TargetException e = assertThrows(TargetException.class, () -> resolver(null).resolve(env(
                "DASHBOARD_URL", "https://dash.example", "SSE_LAMBDA_URL", "sse.example/no-scheme")));
        assertTrue(e.getMessage().startsWith("SSE_LAMBDA_URL"), e.getMessage());
    }

    @Test
    void blankEnvValuesCountAsUnset() {
        Targets t = resolver(null).resolve(env("DASHBOARD_URL", "  ", "SSE_LAMBDA_URL", "",
                "E2E_TARGET", "local"));
        assertEquals("local", t.source());
    }

    // --- option 2: E2E_OUTPUTS_FILE ---

    @Test
    void outputsFileFromARealTerraformDocumentIgnoresSensitiveAndExtraOutputs() throws IOException {
        Path file = Files.writeString(repo.resolve("outputs.json"), doc("full-with-sensitive-and-extras.json"));
        terraformDir();
        Targets t = resolver(doc("local-stack.json")).resolve(env("E2E_OUTPUTS_FILE", file.toString()));
        assertEquals(URI.create("https://abcdefghijklmnop.lambda-url.eu-west-1.on.aws"), t.dashboardUrl());
        assertEquals(URI.create("https://qrstuvwxyz012345.lambda-url.eu-west-1.on.aws"), t.sseUrl());
        assertEquals(List.of(), t.warnings());
        assertFalse(t.toString().contains("s3cret"), "a sensitive output must not leak into Targets");
        assertTrue(terraformCalls.isEmpty());
    }

    @Test
    void relativeOutputsFileIsTakenFromTheRepositoryRoot() throws IOException {
        Files.createDirectories(repo.resolve("local-lambda/target"));
        Files.writeString(repo.resolve("local-lambda/target/local-outputs.json"), doc("local-stack.json"));
        Targets t = resolver(null).resolve(env("E2E_OUTPUTS_FILE", "local-lambda/target/local-outputs.json"));
        assertEquals(URI.create("http://127.0.0.1:41234"), t.dashboardUrl());
        assertEquals(URI.create("http://127.0.0.1:41235"), t.sseUrl());
        assertTrue(t.isLoopback());
    }

    @Test
    void outputsFileWithoutSseOutputFallsBackWithAWarning() throws IOException {
        Path file = Files.writeString(repo.resolve("o.json"), doc("dashboard-only.json"));
        Targets t = resolver(null).resolve(env("E2E_OUTPUTS_FILE", file.toString()));
        assertTrue(t.sseFallsBackToDashboard());
        assertTrue(t.warnings().get(0).contains("sse_lambda_function_url"), t.warnings().toString());
    }

    @Test
    void aMissingOutputsFileIsAnErrorNotAFallThrough() {
        TargetException e = assertThrows(TargetException.class, () -> resolver(doc("local-stack.json"))
                .resolve(env("E2E_OUTPUTS_FILE", "nope.json", "E2E_TARGET", "local")));
        assertTrue(e.getMessage().contains("E2E_OUTPUTS_FILE=" + repo.resolve("nope.json")), e.getMessage());
        assertTrue(localStarts.isEmpty());
    }

    @Test
    void anOutputsFileOfAnEmptyStateSaysSo() throws IOException {
        Path file = Files.writeString(repo.resolve("o.json"), doc("empty-state.json"));
        TargetException e = assertThrows(TargetException.class,
                () -> resolver(null).resolve(env("E2E_OUTPUTS_FILE", file.toString())));
        assertTrue(e.getMessage().contains("no output \"dashboard_function_url\""), e.getMessage());
    }

    // --- option 3: terraform output -json ---

    @Test
    void terraformOutputsOfTheDefaultDirectoryUnderTheRepoRoot() throws IOException {
        Path dir = terraformDir();
        Targets t = resolver(doc("full-with-sensitive-and-extras.json")).resolve(env("E2E_TARGET", "local"));
        assertEquals(List.of(dir), terraformCalls);
        assertEquals(URI.create("https://abcdefghijklmnop.lambda-url.eu-west-1.on.aws"), t.dashboardUrl());
        assertTrue(t.source().startsWith("terraform -chdir=" + dir), t.source());
        assertTrue(localStarts.isEmpty(), "a deployed state wins over E2E_TARGET=local (the order in docs/architecture.md)");
    }

    @Test
    void terraformDirNoneSkipsADeployedStateSoMakeTestNeverTargetsIt() throws IOException {
        terraformDir();
        Targets t = resolver(doc("full-with-sensitive-and-extras.json"))
                .resolve(env("E2E_TARGET", "local", "E2E_TERRAFORM_DIR", "none"));
        assertEquals("local", t.source());
        assertTrue(terraformCalls.isEmpty(), "terraform was not asked");
    }

    @Test
    void terraformDirectoryFromEnv() throws IOException {
        Path dir = Files.createDirectories(repo.resolve("infra/tf"));
        Targets t = resolver(doc("dashboard-only.json")).resolve(env("E2E_TERRAFORM_DIR", "infra/tf"));
        assertEquals(List.of(dir), terraformCalls);
        assertTrue(t.sseFallsBackToDashboard());
    }

    @Test
    void emptyTerraformStateFallsThroughToALocalPulse() throws IOException {
        terraformDir();
        Map<String, String> env = env("E2E_TARGET", "local", "E2E_API_KEY", "k");
        Targets t = resolver(doc("empty-state.json")).resolve(env);
        assertEquals("local", t.source());
        assertEquals(1, terraformCalls.size());
        assertSame(env, localStarts.get(0), "the starter sees the environment (E2E_API_KEY etc.)");
    }

    @Test
    void failingTerraformFallsThroughAndIsExplainedWhenNothingElseApplies() throws IOException {
        terraformDir();
        TargetException e = assertThrows(TargetException.class, () -> resolver(null).resolve(env()));
        assertTrue(e.getMessage().contains("Backend initialization required"), e.getMessage());
    }

    @Test
    void terraformIsNotRunWithoutItsDirectory() {
        Targets t = resolver(doc("full-with-sensitive-and-extras.json")).resolve(env("E2E_TARGET", "local"));
        assertEquals("local", t.source());
        assertTrue(terraformCalls.isEmpty());
    }

    @Test
    void garbageFromTerraformFallsThrough() throws IOException {
        terraformDir();
        Targets t = resolver("Warning: no outputs").resolve(env("E2E_TARGET", "local"));
        assertEquals("local", t.source());
    }

    // --- option 4 and the final error ---

    @Test
    void nothingFoundNamesEveryOptionAndWhyTheyDidNotApply() {
        TargetException e = assertThrows(TargetException.class,
                () -> resolver(null).resolve(env("E2E_TARGET", "preprod")));
        String m = e.getMessage();
        for (String option : List.of("DASHBOARD_URL", "PREPROD_API_URL", "SSE_LAMBDA_URL", "E2E_OUTPUTS_FILE",
                "E2E_TERRAFORM_DIR", "terraform output -json", "E2E_TARGET=local", "directory does not exist",
                "E2E_TARGET is \"preprod\"")) {
            assertTrue(m.contains(option), () -> "missing \"" + option + "\" in:\n" + m);
        }
        assertTrue(localStarts.isEmpty());
    }

    @Test
    void aLocalStackThatCannotStartIsOneClearError() {
        TargetResolver r = new TargetResolver(dir -> "{}", env -> {
            throw new IOException("local-lambda.jar does not exist: build it first");
        });
        TargetException e = assertThrows(TargetException.class, () -> r.resolve(env("E2E_TARGET", "local")));
        assertTrue(e.getMessage().startsWith("E2E_TARGET=local: the local stack could not be started"), e.getMessage());
        assertTrue(e.getMessage().contains("build it first"), e.getMessage());
    }

    @Test
    void theDiagnoseResolverRefusesToStartALocalPulse() {
        Map<String, String> env = env("E2E_TARGET", "local", "E2E_TERRAFORM_DIR", "/definitely/missing");
        TargetException e = assertThrows(TargetException.class, () -> new TargetResolver(dir -> "{}", TargetResolver.NO_LOCAL_STACK).resolve(env));
        assertTrue(e.getMessage().contains("E2E_OUTPUTS_FILE"), e.getMessage());
    }
}
