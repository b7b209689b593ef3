package dev.pulse.local;

import dev.pulse.local.lambda.Capacity;
import dev.pulse.local.lambda.OriginPolicy;
import dev.pulse.local.lambda.RequestGuard;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each function of the committed description gets locally: Terraform's values, AWS's replaced by local
 * ones (the key as its digest only), and the explicit local overrides on top, each only where it applies.
 */
class LocalSettingsTest {

    private static final URI DYNAMO = URI.create("http://127.0.0.1:1");
    private static final Map<String, URI> URLS = urls();

    private static Map<String, URI> urls() {
        Map<String, URI> urls = new LinkedHashMap<>();
        urls.put("dashboard", URI.create("http://127.0.0.1:8080/"));
        urls.put("sse", URI.create("http://127.0.0.1:8081/"));
        return urls;
    }

    private static LocalFunctions committed() {
        return LocalFunctions.read(RealArtifacts.repoRoot().resolve("terraform/local-functions.json"));
    }

    private static LocalPulseConfig config(Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("PULSE_REPO_ROOT", RealArtifacts.repoRoot().toString());
        all.put("PULSE_OUTPUTS_FILE", Files.createTempFile("outputs", ".json").toString());
        return LocalPulseConfig.fromEnvironment(all, Path.of("").toAbsolutePath());
    }

    private static ManagedRuntime.Settings settings(LocalPulseConfig config, String function) {
        String cors = config.corsOrigins() != null ? config.corsOrigins() : RequestGuard.ownOrigins(8080);
        return LocalPulse.settings(config, function, committed().functions().get(function),
                LocalPulse.localValues(config, cors, URLS), DYNAMO);
    }

    @Test
    void aPortSetButEmptyIsAMistakeThatNamesItsVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("PULSE_DASHBOARD_PORT", "")));
        assertTrue(e.getMessage().startsWith("PULSE_DASHBOARD_PORT is set but empty"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("PULSE_SSE_PORT", "eighty")));
        assertTrue(bad.getMessage().startsWith("PULSE_SSE_PORT=eighty is not a number"), bad.getMessage());
    }

    @Test
    void theDashboardGetsTheKeysDigestNeverTheKey() throws Exception {
        ManagedRuntime.Settings dashboard = settings(config(Map.of("PULSE_API_KEY", "local-key")), "dashboard");
        // printf %s local-key | sha256sum (and Terraform's sha256("local-key"))
        assertEquals("dba73d3fcb67907054ce8317378a14b30da1b86b75803e9ba66f18efd9bef09e",
                dashboard.variables().get("PULSE_API_KEY_SHA256"));
        assertFalse(dashboard.variables().containsKey("PULSE_API_KEY"));
        assertFalse(dashboard.variables().containsValue("local-key"), "the key is in no variable of the function");
        ManagedRuntime.Settings sse = settings(config(Map.of("PULSE_API_KEY", "local-key")), "sse");
        assertFalse(sse.variables().containsKey("PULSE_API_KEY_SHA256"), "Terraform gives the SSE function no digest");
        assertFalse(sse.variables().containsValue("local-key"));
    }

    @Test
    void awsValuesAreReplacedByTheLocalOnes() throws Exception {
        LocalPulseConfig config = config(Map.of());
        ManagedRuntime.Settings dashboard = settings(config, "dashboard");
        assertEquals("", dashboard.variables().get("PULSE_API_KEY_SHA256"), "no key: writes are open, as with allow_open_writes");
        assertEquals("http://127.0.0.1:8081/", dashboard.variables().get("SSE_URL"));
        assertEquals("pulse-local", dashboard.variables().get("PULSE_TABLE"));
        assertEquals("http://127.0.0.1:8080,http://localhost:8080", dashboard.variables().get("PULSE_CORS_ALLOWED_ORIGINS"));
        assertEquals(DYNAMO.toString(), dashboard.variables().get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertEquals("*", settings(config(Map.of("PULSE_CORS_ALLOWED_ORIGINS", "*")), "sse").variables()
                .get("PULSE_CORS_ALLOWED_ORIGINS"), "an explicit setting is kept");
    }

    @Test
    void eachUrlTakesThePagesOfItsCorsConfiguration() throws Exception {
        LocalPulseConfig config = config(Map.of());
        Map<String, String> local = LocalPulse.localValues(config, RequestGuard.ownOrigins(8080), URLS);
        assertEquals("http://127.0.0.1:8080,http://localhost:8080",
                LocalPulse.urlOrigins(committed().functions().get("sse"), local), "the placeholder, filled in");
        LocalFunctions.Function fixed = new LocalFunctions.Function("f", "a.zip", "Zip", "java21", "h", "arm64", 256, 3, 1,
                null, false, null, Map.of(), new LocalFunctions.Url("BUFFERED", "NONE", null,
                new LocalFunctions.Cors(java.util.List.of("https://dash.example.com"), null, null, null, null, null)), null);
        assertEquals("https://dash.example.com", LocalPulse.urlOrigins(fixed, local),
                "an origin written into terraform/ is the only other page, as on AWS");
    }

    @Test
    void aUrlsOriginsAreReadAsTheFunctionsReadTheirCorsSetting() {
        OriginPolicy dashboard = LocalPulse.originPolicy(RequestGuard.ownOrigins(8080));
        assertTrue(dashboard.allows().test("http://127.0.0.1:8080"));
        assertTrue(dashboard.allows().test("HTTP://LOCALHOST:8080/"), "case and a trailing slash ignored, as core's Cors does");
        assertFalse(dashboard.allows().test("https://evil.example"));
        assertTrue(LocalPulse.originPolicy("*").allows().test("https://any.example"), "* allows any page");
        assertFalse(LocalPulse.originPolicy(null).allows().test("http://127.0.0.1:8080"), "no CORS: no other page");
        assertTrue(dashboard.refusalHint().contains("PULSE_CORS_ALLOWED_ORIGINS"), "a refused page is told the setting");
    }

    @Test
    void withoutOverridesEverySettingIsTerraforms() throws Exception {
        LocalFunctions description = committed();
        for (String function : URLS.keySet()) {
            LocalFunctions.Function planned = description.functions().get(function);
            ManagedRuntime.Settings settings = settings(config(Map.of()), function);
            assertEquals(Duration.ofSeconds(planned.timeoutSeconds()), settings.timeout(), function);
            assertEquals(planned.memoryMb(), settings.memoryMb(), function);
            assertEquals(Capacity.onDemand(planned.reservedConcurrency()), settings.capacity(), function);
            planned.environment().forEach((name, value) -> {
                if (!value.startsWith("${")) {
                    assertEquals(value, settings.variables().get(name), function + " " + name);
                }
            });
        }
    }

    @Test
    void overridesApplyToTheirFunctionOnly() throws Exception {
        LocalPulseConfig config = config(Map.of(
                "PULSE_SSE_CONCURRENCY", "32",
                "PULSE_DASHBOARD_TIMEOUT_SECONDS", "7",
                "PULSE_FUNCTION_MEMORY_MB", "256",
                "SSE_MAX_STREAM_SECONDS", "3",
                "SSE_EXTRA_SETTING", "x",
                "PULSE_VERSION", "abc123",
                "PULSE_FUNCTION_JAVA_TOOL_OPTIONS", " -XX:TieredStopAtLevel=4 "));
        ManagedRuntime.Settings sse = settings(config, "sse");
        ManagedRuntime.Settings dashboard = settings(config, "dashboard");
        assertEquals(Capacity.onDemand(32), sse.capacity());
        assertEquals(Capacity.onDemand(committed().functions().get("dashboard").reservedConcurrency()), dashboard.capacity());
        assertEquals(Duration.ofSeconds(7), dashboard.timeout());
        assertEquals(Duration.ofSeconds(committed().functions().get("sse").timeoutSeconds()), sse.timeout());
        assertEquals(256, sse.memoryMb());
        assertEquals(256, dashboard.memoryMb());
        assertEquals("3", sse.variables().get("SSE_MAX_STREAM_SECONDS"));
        assertEquals("x", sse.variables().get("SSE_EXTRA_SETTING"));
        assertFalse(dashboard.variables().containsKey("SSE_MAX_STREAM_SECONDS"), "SSE_* go to the SSE function only");
        assertEquals("abc123", sse.variables().get("PULSE_VERSION"));
        assertEquals("abc123", dashboard.variables().get("PULSE_VERSION"));
        assertTrue(dashboard.variables().get("SSE_URL").startsWith("http://127.0.0.1:"), "SSE_URL is not an SSE_* setting");
        assertEquals("-XX:TieredStopAtLevel=4", sse.variables().get("JAVA_TOOL_OPTIONS"), "both functions' JVM flags");
        assertEquals("-XX:TieredStopAtLevel=4", dashboard.variables().get("JAVA_TOOL_OPTIONS"));
    }

    @Test
    void pulseSseMaxConcurrencyRunsTheSseFunctionOnManagedInstancesWithAtLeastTwoGigabytes() throws Exception {
        LocalFunctions.Function planned = committed().functions().get("sse");
        assertEquals(LocalFunctions.Capacity.ON_DEMAND, planned.capacity(), "the committed description is on demand");
        assertTrue(planned.memoryMb() < Capacity.MANAGED_INSTANCES_MIN_MEMORY_MB, "so that raising it shows");

        ManagedRuntime.Settings trial = settings(config(Map.of("PULSE_SSE_MAX_CONCURRENCY", "8")), "sse");
        assertEquals(Capacity.managedInstances(3, 8), trial.capacity(), "N per environment, the three Lambda starts");
        assertEquals(Capacity.MANAGED_INSTANCES_MIN_MEMORY_MB, trial.memoryMb(), "raised to the documented minimum");
        assertEquals(Capacity.onDemand(committed().functions().get("dashboard").reservedConcurrency()),
                settings(config(Map.of("PULSE_SSE_MAX_CONCURRENCY", "8")), "dashboard").capacity(), "the SSE function only");

        ManagedRuntime.Settings one = settings(config(Map.of("PULSE_SSE_MAX_CONCURRENCY", "8", "PULSE_SSE_CONCURRENCY", "1")), "sse");
        assertEquals(Capacity.managedInstances(1, 8), one.capacity(), "PULSE_SSE_CONCURRENCY: the environments");
        assertEquals(4096, settings(config(Map.of("PULSE_SSE_MAX_CONCURRENCY", "8", "PULSE_FUNCTION_MEMORY_MB", "4096")),
                "sse").memoryMb(), "an override of 2 GB or more is taken");

        IllegalArgumentException small = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> settings(config(Map.of("PULSE_SSE_MAX_CONCURRENCY", "8", "PULSE_FUNCTION_MEMORY_MB", "512")), "sse"));
        assertTrue(small.getMessage().contains("PULSE_FUNCTION_MEMORY_MB=512 is below the 2048 MB a Lambda Managed "
                + "Instances environment needs"), small::getMessage);
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("PULSE_SSE_MAX_CONCURRENCY", "0")));
        assertTrue(bad.getMessage().contains("PULSE_SSE_MAX_CONCURRENCY=0 is not a number from 1 to 1600"), bad::getMessage);
    }

    @Test
    void aManagedInstancesDescriptionRunsItsEnvironmentsWithItsConcurrency() throws Exception {
        LocalFunctions.Function sse = committed().functions().get("sse");
        LocalFunctions.Function planned = new LocalFunctions.Function(sse.functionName(), sse.artifact(), sse.packageType(),
                sse.runtime(), sse.handler(), sse.architecture(), 2048, sse.timeoutSeconds(), sse.reservedConcurrency(),
                LocalFunctions.Capacity.managedInstances(64, 3), false, sse.execWrapper(), sse.environment(), sse.url(),
                sse.logging());
        LocalPulseConfig config = config(Map.of());
        Map<String, String> local = LocalPulse.localValues(config, RequestGuard.ownOrigins(8080), URLS);
        ManagedRuntime.Settings settings = LocalPulse.settings(config, "sse", planned, local, DYNAMO);
        assertEquals(Capacity.managedInstances(3, 64), settings.capacity(), "as planned, reserved concurrency aside");
        assertEquals(2048, settings.memoryMb());
        assertEquals(Capacity.managedInstances(2, 16), LocalPulse.settings(config(Map.of("PULSE_SSE_MAX_CONCURRENCY", "16",
                "PULSE_SSE_CONCURRENCY", "2")), "sse", planned, local, DYNAMO).capacity(),
                "each override on its own part");
    }

    /** {@code function} as planned, with another reserved concurrency. */
    private static LocalFunctions.Function reserved(LocalFunctions.Function function, int reservedConcurrency) {
        return new LocalFunctions.Function(function.functionName(), function.artifact(), function.packageType(),
                function.runtime(), function.handler(), function.architecture(), function.memoryMb(),
                function.timeoutSeconds(), reservedConcurrency, function.capacity(), function.snapStart(),
                function.execWrapper(), function.environment(), function.url(), function.logging());
    }

    @Test
    void anUnreservedFunctionRunsTheLocalLimitAndReservedZeroNeedsAnOverride() throws Exception {
        LocalFunctions.Function dashboard = committed().functions().get("dashboard");
        LocalPulseConfig config = config(Map.of());
        assertEquals(Capacity.onDemand(LocalPulse.UNRESERVED_LOCAL_LIMIT),
                LocalPulse.capacity(config, "dashboard", reserved(dashboard, -1)), "unreserved: the local limit");
        assertEquals(Capacity.onDemand(LocalPulse.UNRESERVED_LOCAL_LIMIT),
                LocalPulse.plannedCapacity(reserved(dashboard, -1)));
        IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LocalPulse.capacity(config, "dashboard", reserved(dashboard, 0)));
        assertTrue(zero.getMessage().contains("has reserved concurrency 0: every invocation would be throttled (set "
                + "PULSE_DASHBOARD_CONCURRENCY to run it anyway)"), zero::getMessage);
        assertEquals(Capacity.onDemand(2), LocalPulse.capacity(config(Map.of("PULSE_DASHBOARD_CONCURRENCY", "2")),
                "dashboard", reserved(dashboard, 0)), "reserved 0 with an override runs the override");
        assertEquals(Capacity.managedInstances(LocalPulse.MANAGED_INSTANCES_DEFAULT_ENVIRONMENTS, 4),
                LocalPulse.capacity(config(Map.of("PULSE_DASHBOARD_MAX_CONCURRENCY", "4")), "dashboard",
                        reserved(dashboard, 0)), "a Managed Instances trial does not use the reserved concurrency");
    }

    /** {@code function} as planned with SnapStart on and its URL on {@code qualifier} (null: on the function itself). */
    private static LocalFunctions.Function snapStart(LocalFunctions.Function function, String qualifier) {
        LocalFunctions.Url url = function.url();
        return new LocalFunctions.Function(function.functionName(), function.artifact(), function.packageType(),
                function.runtime(), function.handler(), function.architecture(), function.memoryMb(),
                function.timeoutSeconds(), function.reservedConcurrency(), function.capacity(), true, function.execWrapper(),
                function.environment(), new LocalFunctions.Url(url.invokeMode(), url.authorizationType(), qualifier,
                url.cors()), function.logging());
    }

    @Test
    void aSnapStartFunctionWhoseUrlIsOnItsAliasStartsAsSnapStartRestoresIt(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        for (String function : URLS.keySet()) {
            assertFalse(committed().functions().get(function).snapStart(), function + ": the committed description, "
                    + "planned with snap_start's default");
            assertFalse(settings(config(Map.of()), function).snapStart(), function);
        }
        LocalFunctions.Function sse = snapStart(committed().functions().get("sse"), "live");
        LocalPulseConfig config = config(Map.of());
        Map<String, String> local = LocalPulse.localValues(config, RequestGuard.ownOrigins(8080), URLS);
        ManagedRuntime.Settings settings = LocalPulse.settings(config, "sse", sse, local, DYNAMO);
        assertTrue(settings.snapStart());
        var spec = ManagedRuntime.spec("sse", sse, settings, dir, dir.resolve("rt"));
        assertTrue(spec.snapStart(), "the emulator gives it AWS_LAMBDA_INITIALIZATION_TYPE=snap-start and /restore/next");
        assertFalse(spec.env().containsKey("AWS_LAMBDA_LOG_GROUP_NAME"), "AWS documents them as absent with SnapStart");
        assertFalse(spec.env().containsKey("AWS_LAMBDA_LOG_STREAM_NAME"));
        assertTrue(LocalPulse.snapStartNote(sse, settings).startsWith(", SnapStart (URL on alias live;"),
                LocalPulse.snapStartNote(sse, settings));

        LocalFunctions.Function onLatest = snapStart(committed().functions().get("sse"), null);
        ManagedRuntime.Settings latest = LocalPulse.settings(config, "sse", onLatest, local, DYNAMO);
        assertFalse(latest.snapStart(), "a URL on $LATEST serves no snapshot");
        assertTrue(LocalPulse.snapStartNote(onLatest, latest).contains("its URL serves $LATEST"));
        assertTrue(ManagedRuntime.spec("sse", onLatest, latest, dir, dir.resolve("rt")).env()
                .containsKey("AWS_LAMBDA_LOG_GROUP_NAME"));

        ManagedRuntime.Settings trial = LocalPulse.settings(config(Map.of("PULSE_SSE_MAX_CONCURRENCY", "8")), "sse", sse,
                local, DYNAMO);
        assertFalse(trial.snapStart(), "a trial of Managed Instances: they restore no snapshots");
        assertTrue(LocalPulse.snapStartNote(sse, trial).contains("not with Managed Instances"));
    }

    @Test
    void theLogFormatAndLevelAreTerraformsUnlessPulseLogLevelSaysOtherwise(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        for (String function : URLS.keySet()) {
            ManagedRuntime.Settings planned = settings(config(Map.of()), function);
            assertEquals("INFO", planned.logLevel(), function + ": logging_config's application_log_level");
            var spec = ManagedRuntime.spec(function, committed().functions().get(function), planned, dir, dir.resolve("rt"));
            assertEquals("JSON", spec.env().get("AWS_LAMBDA_LOG_FORMAT"), "as Lambda passes a JSON logging_config");
            assertEquals("INFO", spec.env().get("AWS_LAMBDA_LOG_LEVEL"));
            assertEquals("local", spec.env().get("PULSE_ENVIRONMENT"));
            assertEquals("FATAL", settings(config(Map.of("PULSE_LOG_LEVEL", "fatal")), function).logLevel(), "the override");
        }
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> settings(config(Map.of("PULSE_LOG_LEVEL", "LOUD")), "sse"));
        assertTrue(bad.getMessage().contains("PULSE_LOG_LEVEL"), bad::getMessage);
        assertTrue(bad.getMessage().contains("TRACE, DEBUG, INFO, WARN, ERROR, FATAL, got 'LOUD'"), bad::getMessage);
        LocalFunctions.Function text = new LocalFunctions.Function("f", "a.zip", "Zip", "java21", "h", "arm64", 256, 3, 1,
                null, false, null, Map.of(), new LocalFunctions.Url("BUFFERED", "NONE", null, null),
                new LocalFunctions.Logging("Text", null, null));
        assertEquals(null, LocalLogs.applicationLevel(text, Map.of("PULSE_LOG_LEVEL", "DEBUG")), "text logs have no level");
        assertEquals(Map.of(), ManagedRuntime.logVariables(null));
    }
}
