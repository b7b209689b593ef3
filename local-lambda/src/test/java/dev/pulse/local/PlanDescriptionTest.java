package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real plan of terraform/ ({@code terraform show -json}, trimmed to the functions, URLs, aliases, table and outputs;
 * planned as TerraformPlan plans it, and once more with {@code -var=snap_start=true}) read into the description.
 */
class PlanDescriptionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String plan() throws Exception {
        return resource("/plan/pulse-plan.json");
    }

    /** The same plan with {@code -var=snap_start=true}: the aliases, and each URL on its function's. */
    private static String snapStartPlan() throws Exception {
        return resource("/plan/pulse-plan-snap-start.json");
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = PlanDescriptionTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static LocalFunctions read(String plan) {
        return PlanDescription.read(plan, "hash", TerraformPlan.PLANNED_WITH, "terraform");
    }

    @Test
    void eachFunctionIsDescribedAsPlanned() throws Exception {
        LocalFunctions functions = read(plan());
        assertEquals(List.of("dashboard", "sse"), List.copyOf(functions.functions().keySet()));
        LocalFunctions.Function sse = functions.functions().get("sse");
        assertEquals("pulse-local-sse", sse.functionName());
        assertEquals("sse-handler/target/sse-handler.zip", sse.artifact(), "relative to the directory holding terraform/");
        assertEquals("java21", sse.runtime());
        assertEquals("dev.pulse.sse.SseRuntimeMain::handleRequest", sse.handler());
        assertEquals(900, sse.timeoutSeconds());
        assertEquals(20, sse.reservedConcurrency(), "preprod.tfvars");
        assertEquals("/var/task/bootstrap", sse.execWrapper());
        assertEquals("RESPONSE_STREAM", sse.url().invokeMode());
        assertEquals("NONE", sse.url().authorizationType());
        assertTrue(sse.url().cors().allowHeaders().contains("last-event-id"));
        assertEquals(List.of("GET"), sse.url().cors().allowMethods());
        assertEquals("30", sse.environment().get("SSE_HEARTBEAT_INTERVAL_SECONDS"));
        assertEquals(LocalFunctions.Capacity.ON_DEMAND, sse.capacity(), "the sse_capacity output: on_demand");

        LocalFunctions.Function dashboard = functions.functions().get("dashboard");
        assertEquals("BUFFERED", dashboard.url().invokeMode());
        assertEquals("dev.pulse.dashboard.DashboardHandler::handleRequest", dashboard.handler());
        assertEquals(15, dashboard.timeoutSeconds());
        assertEquals(1024, dashboard.memoryMb());
        assertNull(dashboard.execWrapper());
        assertEquals(new LocalFunctions.Logging("JSON", "INFO", "INFO"), dashboard.logging(), "its logging_config");
        assertEquals("local", dashboard.environment().get("PULSE_ENVIRONMENT"), "the metrics' environment dimension");
        assertEquals(LocalFunctions.Capacity.ON_DEMAND, dashboard.capacity(), "no dashboard_capacity output: on demand");
    }

    /** The sse_capacity output as terraform/ plans it with sse_capacity_mode = "managed_instances" (and the marker). */
    private static String withSseCapacity(String after) throws Exception {
        ObjectNode plan = (ObjectNode) MAPPER.readTree(plan());
        ((ObjectNode) plan.path("output_changes").path("sse_capacity")).set("after", MAPPER.readTree(after));
        return plan.toString();
    }

    @Test
    void aManagedInstancesCapacityIsReadFromTheFunctionsCapacityOutput() throws Exception {
        LocalFunctions functions = read(withSseCapacity("{\"max_execution_environments\": 10, \"memory_mb\": 2048, "
                + "\"min_execution_environments\": 3, \"mode\": \"managed_instances\", \"per_environment_max_concurrency\": 64}"));
        assertEquals(LocalFunctions.Capacity.managedInstances(64, 3), functions.functions().get("sse").capacity());
        assertEquals(LocalFunctions.Capacity.ON_DEMAND, functions.functions().get("dashboard").capacity());
        assertTrue(functions.toJson().contains("      \"capacity\": {\n"
                        + "        \"mode\": \"managed_instances\",\n"
                        + "        \"per_environment_max_concurrency\": 64,\n"
                        + "        \"min_execution_environments\": 3\n"
                        + "      },\n"), () -> "written in the description's snake_case: " + functions.toJson());
        assertTrue(read(plan()).toJson().contains("      \"capacity\": {\n        \"mode\": \"on_demand\"\n      },\n"),
                "on demand: the mode alone");
    }

    @Test
    void aCapacityTheLocalStackCannotRunIsAnErrorNamingTheFunction() throws Exception {
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> read(withSseCapacity("{\"mode\": \"spot\"}")));
        assertTrue(mode.getMessage().contains("module.sse.aws_lambda_function.this: capacity mode spot is neither on_demand "
                + "nor managed_instances"), mode.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> read(withSseCapacity("{\"mode\": \"managed_instances\", \"per_environment_max_concurrency\": 8}")));
        assertTrue(missing.getMessage().contains("output sse_capacity has no whole number min_execution_environments"),
                missing.getMessage());
    }

    @Test
    void whatAwsOrTheDeployerDecidesBecomesAPlaceholder() throws Exception {
        LocalFunctions functions = read(plan());
        Map<String, String> dashboard = functions.functions().get("dashboard").environment();
        assertEquals("${table_name}", dashboard.get("PULSE_TABLE"));
        assertEquals("${function_url:sse}", dashboard.get("SSE_URL"), "the SSE URL AWS assigns");
        assertEquals("${api_key_sha256}", dashboard.get("PULSE_API_KEY_SHA256"));
        assertEquals("${cors_allowed_origins}", dashboard.get("PULSE_CORS_ALLOWED_ORIGINS"));
        assertEquals("dev", dashboard.get("PULSE_VERSION"), "a plain value stays a value");
        assertEquals(List.of("${cors_allowed_origins}"), functions.functions().get("sse").url().cors().allowOrigins());
        assertEquals(Map.of(
                "dashboard_function_url", "${function_url:dashboard}",
                "sse_lambda_function_url", "${function_url:sse}",
                "dashboard_function_name", "pulse-local-dashboard",
                "sse_function_name", "pulse-local-sse",
                "table_name", "${table_name}"), functions.outputs(), "log groups and alarms have no local counterpart");
    }

    @Test
    void anEnvironmentOnlyAwsKnowsIsAnErrorNamingTheFunction() throws Exception {
        ObjectNode plan = (ObjectNode) MAPPER.readTree(plan());
        for (var change : plan.get("resource_changes")) {
            if (change.path("address").asText().equals("module.dashboard.aws_lambda_function.this")) {
                // What the provider plans without the URL marker: the whole map unknown.
                ((ObjectNode) change.path("change").path("after").path("environment").path(0)).remove("variables");
                ((ObjectNode) change.path("change").path("after_unknown").path("environment").path(0)).put("variables", true);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(plan.toString()));
        assertTrue(e.getMessage().contains("module.dashboard.aws_lambda_function.this: its environment variables are not known"),
                e.getMessage());
    }

    @Test
    void layersCannotRunLocally() throws Exception {
        ObjectNode plan = (ObjectNode) MAPPER.readTree(plan());
        for (var change : plan.get("resource_changes")) {
            if (change.path("address").asText().equals("module.sse.aws_lambda_function.this")) {
                ArrayNode layers = ((ObjectNode) change.path("change").path("after")).putArray("layers");
                layers.add("arn:aws:lambda:eu-west-1:123456789012:layer:x:1");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(plan.toString()));
        assertTrue(e.getMessage().contains("module.sse.aws_lambda_function.this: layers"), e.getMessage());
    }

    @Test
    void snapStartAndTheAliasTheUrlIsOnAreDescribed() throws Exception {
        LocalFunctions snapStart = read(snapStartPlan());
        for (String key : List.of("dashboard", "sse")) {
            LocalFunctions.Function function = snapStart.functions().get(key);
            assertTrue(function.snapStart(), key + ": snap_start apply_on PublishedVersions");
            assertEquals("live", function.url().qualifier(), key + ": its URL is on the alias live");
            assertTrue(function.urlServesSnapshots(), key);
        }
        assertTrue(snapStart.toJson().contains("      \"snap_start\": true,\n"), snapStart::toJson);
        assertTrue(snapStart.toJson().contains("        \"qualifier\": \"live\",\n"), snapStart::toJson);

        LocalFunctions onDemand = read(plan());
        for (String key : List.of("dashboard", "sse")) {
            LocalFunctions.Function function = onDemand.functions().get(key);
            assertFalse(function.snapStart(), key);
            assertNull(function.url().qualifier(), key + ": its URL is on the function itself ($LATEST)");
            assertFalse(function.urlServesSnapshots(), key);
        }
        assertTrue(onDemand.toJson().contains("      \"snap_start\": false,\n"), onDemand::toJson);
        assertTrue(onDemand.toJson().contains("        \"qualifier\": null,\n"), onDemand::toJson);
    }

    @Test
    void aUrlOnAnAliasThePlanDoesNotMakeIsAnErrorNamingTheFunction() throws Exception {
        ObjectNode plan = (ObjectNode) MAPPER.readTree(snapStartPlan());
        ArrayNode changes = (ArrayNode) plan.get("resource_changes");
        for (int i = changes.size() - 1; i >= 0; i--) {
            if (changes.get(i).path("address").asText().equals("module.sse.aws_lambda_alias.live[0]")) {
                changes.remove(i);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(plan.toString()));
        assertTrue(e.getMessage().contains("module.sse.aws_lambda_function.this: a Function URL on live, which is not an "
                + "alias this plan makes for the function"), e.getMessage());
    }

    @Test
    void functionsAreNamedByTheirModule() {
        assertEquals("dashboard", PlanDescription.key("module.dashboard.aws_lambda_function.this"));
        assertEquals("api", PlanDescription.key("aws_lambda_function.api"));
        assertEquals("worker", PlanDescription.key("module.app.module.worker.aws_lambda_function.this"));
        assertThrows(IllegalArgumentException.class, () -> PlanDescription.key("module.Api.aws_lambda_function.this"));
    }
}
