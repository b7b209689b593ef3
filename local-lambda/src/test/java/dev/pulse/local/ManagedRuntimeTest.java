package dev.pulse.local;

import dev.pulse.local.lambda.Capacity;
import dev.pulse.local.lambda.FunctionSpec;
import dev.pulse.local.lambda.InvokeMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an execution environment starts, from a function's description: runtime, handler, exec wrapper, invoke mode. */
class ManagedRuntimeTest {

    private static final ManagedRuntime.Settings SETTINGS =
            new ManagedRuntime.Settings(Capacity.onDemand(3), Duration.ofSeconds(15), Duration.ofSeconds(60), 512, "INFO", Map.of("PULSE_TABLE", "t"),
                    false);

    private static LocalFunctions.Function function(String runtime, String execWrapper, String invokeMode) {
        return new LocalFunctions.Function("fn", "fn.zip", "Zip", runtime, "example.Handler::handleRequest", "arm64", 1024,
                15, 3, null, false, execWrapper, Map.of("PULSE_TABLE", "${table_name}"),
                new LocalFunctions.Url(invokeMode, "NONE", null, null), new LocalFunctions.Logging("JSON", "INFO", "INFO"));
    }

    @Test
    void withoutAWrapperTheRuntimeInterfaceClientRunsTheHandler() throws Exception {
        Path taskRoot = Files.createTempDirectory("task");
        FunctionSpec spec = ManagedRuntime.spec("fn", function("java21", null, "BUFFERED"), SETTINGS, taskRoot,
                taskRoot.resolve("runtime"));
        List<String> command = spec.command();
        assertTrue(command.get(0).endsWith("/bin/java"), command.toString());
        assertEquals(List.of("com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "example.Handler::handleRequest"),
                command.subList(command.size() - 2, command.size()));
        assertTrue(command.contains("-XX:MaxRAM=512m"), "sized from the function's memory: " + command);
        assertEquals(InvokeMode.BUFFERED, spec.mode());
        assertEquals("[fn]", spec.logPrefix());
        assertEquals("512", spec.env().get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        assertEquals("example.Handler::handleRequest", spec.env().get("_HANDLER"));
        assertEquals("t", spec.env().get("PULSE_TABLE"));
        assertEquals(Capacity.onDemand(3), spec.capacity());
    }

    @Test
    void theFunctionsJavaToolOptionsComeAfterTheRuntimesFlags_soTheyWin() throws Exception {
        Path taskRoot = Files.createTempDirectory("task");
        ManagedRuntime.Settings settings = new ManagedRuntime.Settings(SETTINGS.capacity(), SETTINGS.timeout(),
                SETTINGS.initTimeout(), SETTINGS.memoryMb(), SETTINGS.logLevel(),
                Map.of("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=4  -XX:+UseParallelGC"), false);
        List<String> command = ManagedRuntime.spec("fn", function("java21", null, "BUFFERED"), settings, taskRoot,
                taskRoot.resolve("runtime")).command();
        int runtimes = command.indexOf("-XX:TieredStopAtLevel=1");
        int functions = command.indexOf("-XX:TieredStopAtLevel=4");
        assertTrue(runtimes >= 0 && functions > runtimes, command.toString());
        assertEquals("-XX:+UseParallelGC", command.get(functions + 1));
        assertTrue(functions < command.indexOf("-classpath"), "JVM flags, before the class path: " + command);
    }

    @Test
    void anExecWrapperInThePackageIsRunWithTheRuntimesCommandLine() throws Exception {
        Path taskRoot = Files.createTempDirectory("task");
        FunctionSpec spec = ManagedRuntime.spec("fn", function("java21", "/var/task/bootstrap", "RESPONSE_STREAM"), SETTINGS,
                taskRoot, taskRoot.resolve("runtime"));
        assertEquals(taskRoot.resolve("bootstrap").toString(), spec.command().get(0));
        assertTrue(spec.command().get(1).endsWith("/bin/java"), "the managed runtime's command line follows: " + spec.command());
        assertEquals(taskRoot.resolve("bootstrap").toString(), spec.env().get("AWS_LAMBDA_EXEC_WRAPPER"));
        assertEquals(InvokeMode.RESPONSE_STREAM, spec.mode());
    }

    @Test
    void anEnvironmentsCpuShareIsItsMemorysShareOfAVcpu_onManagedInstancesOneVcpuPerTwoGibibytes() throws Exception {
        Path taskRoot = Files.createTempDirectory("task");
        FunctionSpec onDemand = ManagedRuntime.spec("fn", function("java21", null, "BUFFERED"), SETTINGS, taskRoot,
                taskRoot.resolve("runtime"));
        assertEquals(512 / 1769.0, onDemand.vcpus(), 1e-9, "on demand: memory / 1,769 MB");
        ManagedRuntime.Settings managed = new ManagedRuntime.Settings(Capacity.managedInstances(1, 8), SETTINGS.timeout(),
                SETTINGS.initTimeout(), 4096, SETTINGS.logLevel(), SETTINGS.variables(), false);
        assertEquals(2.0, ManagedRuntime.spec("fn", function("java21", null, "BUFFERED"), managed, taskRoot,
                taskRoot.resolve("runtime")).vcpus(), 1e-9, "Managed Instances: 4 GiB at 2 GiB per vCPU");
    }

    @Test
    void whatTheLocalStackDoesNotHaveIsRefused() throws Exception {
        Path taskRoot = Files.createTempDirectory("task");
        IllegalArgumentException runtime = assertThrows(IllegalArgumentException.class, () -> ManagedRuntime.spec("fn",
                function("python3.12", null, "BUFFERED"), SETTINGS, taskRoot, taskRoot.resolve("runtime")));
        assertTrue(runtime.getMessage().contains("runtime python3.12"), runtime.getMessage());
        IllegalArgumentException layer = assertThrows(IllegalArgumentException.class, () -> ManagedRuntime.spec("fn",
                function("java21", "/opt/wrapper", "BUFFERED"), SETTINGS, taskRoot, taskRoot.resolve("runtime")));
        assertTrue(layer.getMessage().contains("the local stack has no layers"), layer.getMessage());
    }
}
