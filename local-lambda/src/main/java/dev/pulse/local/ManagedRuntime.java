package dev.pulse.local;

import dev.pulse.local.lambda.Capacity;
import dev.pulse.emulators.CpuShares;
import dev.pulse.local.lambda.FunctionSpec;
import dev.pulse.local.lambda.InvokeMode;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How Lambda's managed {@code java21} runtime starts a function, from the function's configuration: the
 * official runtime interface client with the handler string as its argument, or, when the function sets
 * {@code AWS_LAMBDA_EXEC_WRAPPER}, that wrapper with the runtime's command line as its arguments (the SSE
 * function's bootstrap ignores them and execs its own streaming runtime loop). Plus Lambda's reserved
 * environment variables. It knows runtimes, not handlers: everything function-specific comes from the
 * description.
 */
final class ManagedRuntime {

    static final String RUNTIME = "java21";
    /** Where Lambda unpacks the deployment package; locally, the function's task root. */
    private static final String TASK_ROOT = "/var/task/";
    private static final String JAVA_HOME = System.getProperty("java.home");

    private ManagedRuntime() {
    }

    /**
     * What the local stack decided for one function: the description's values, or a local override.
     *
     * @param capacity  its execution environments and the invocations each takes at once
     * @param logLevel  the application log level Lambda passes with the JSON log format (AWS_LAMBDA_LOG_LEVEL); null
     *                  with the text format
     * @param variables its environment variables, placeholders filled in, overrides applied
     * @param snapStart its environments start as SnapStart restores them (its URL serves a snapshotted version)
     */
    record Settings(Capacity capacity, Duration timeout, Duration initTimeout, int memoryMb, String logLevel,
                    Map<String, String> variables, boolean snapStart) {
        Settings {
            variables = Map.copyOf(variables);
        }
    }

    /** An execution environment's start: command line, working directory (the unpacked package), environment. */
    static FunctionSpec spec(String key, LocalFunctions.Function function, Settings settings, Path taskRoot, Path runtimeDir) {
        if (!RUNTIME.equals(function.runtime())) {
            throw new IllegalArgumentException(function.functionName() + " has runtime " + function.runtime()
                    + ": the local stack runs the managed " + RUNTIME + " runtime only");
        }
        if (function.url() == null) {
            throw new IllegalArgumentException(function.functionName() + " has no Function URL: the local stack serves "
                    + "functions through their URLs");
        }
        InvokeMode mode = InvokeMode.valueOf(function.url().invokeMode());
        List<String> command = new ArrayList<>();
        Map<String, String> env = new HashMap<>(settings.variables());
        if (function.execWrapper() != null) {
            Path wrapper = inTaskRoot(function.execWrapper(), taskRoot, function.functionName());
            command.add(wrapper.toString());
            env.put("AWS_LAMBDA_EXEC_WRAPPER", wrapper.toString()); // where this process finds it
        }
        command.addAll(ricCommand(function.handler(), settings.memoryMb(), runtimeDir, env.get("JAVA_TOOL_OPTIONS")));
        env.putAll(reservedVariables(function, settings.memoryMb(), taskRoot, settings.snapStart()));
        env.putAll(logVariables(settings.logLevel()));
        return new FunctionSpec(function.functionName(), "[" + key + "]", mode, settings.capacity(), settings.timeout(),
                settings.initTimeout(), command, taskRoot, env, vcpus(settings.capacity(), settings.memoryMb()),
                settings.snapStart());
    }

    /** GiB of memory per vCPU of a Managed Instances environment when the description does not say (AWS's default). */
    static final int MANAGED_INSTANCES_GIB_PER_VCPU = 2;

    /**
     * An environment's CPU during invocations, as Lambda gives it: on demand, memory / 1,769 MB of a vCPU; on Managed
     * Instances, one vCPU per {@value #MANAGED_INSTANCES_GIB_PER_VCPU} GiB of the environment's memory.
     */
    static double vcpus(Capacity capacity, int memoryMb) {
        return capacity.managedInstances() ? CpuShares.managedInstancesVcpus(memoryMb, MANAGED_INSTANCES_GIB_PER_VCPU)
                : CpuShares.onDemandVcpus(memoryMb);
    }

    /**
     * Lambda's own variables, which a function cannot set: they win over its configuration. (The emulator adds
     * {@code AWS_LAMBDA_INITIALIZATION_TYPE} and {@code AWS_LAMBDA_RUNTIME_API}, which depend on how it starts each
     * environment.) A SnapStart function has no log group or stream variables: AWS documents them as not available
     * in SnapStart functions.
     */
    static Map<String, String> reservedVariables(LocalFunctions.Function function, int memoryMb, Path taskRoot,
                                                 boolean snapStart) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        if (!snapStart) {
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.functionName());
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        }
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        env.put("_HANDLER", function.handler());
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("JAVA_HOME", JAVA_HOME); // the managed runtime's /var/lang; here the JVM running the stack
        return env;
    }

    /**
     * What Lambda passes a function whose logging_config has the JSON format: the format, which the runtime interface
     * client's logger follows, and the application log level, which both the client and the functions' own lines
     * honour. With the text format, neither (the runtime's default, text).
     */
    static Map<String, String> logVariables(String jsonLogLevel) {
        return jsonLogLevel == null ? Map.of()
                : Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON", "AWS_LAMBDA_LOG_LEVEL", jsonLogLevel);
    }

    /**
     * The managed java21 runtime's command line: the RIC on the classpath, the handler string as argument. The
     * function's {@code JAVA_TOOL_OPTIONS} come after the runtime's flags, so that they win over them, as AWS documents
     * for the managed runtime (e.g. {@code -XX:TieredStopAtLevel=4} for the C2 compiler).
     */
    static List<String> ricCommand(String handler, int memoryMb, Path runtimeDir, String javaToolOptions) {
        List<Path> ric = Artifacts.runtimeInterfaceClient();
        List<String> functionFlags = javaToolOptions == null || javaToolOptions.isBlank() ? List.of()
                : List.of(javaToolOptions.strip().split("\\s+"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(JAVA_HOME, "bin", "java").toString(),
                // the managed runtime's start-up flags that matter for behaviour and start time
                "-XX:MaxHeapSize=" + (memoryMb * 85 / 100) + "m",
                // In its sandbox the JVM sees the function's memory as the machine's; here it would see
                // this machine's, and size the initial heap and young generation from that.
                "-XX:MaxRAM=" + memoryMb + "m",
                "-XX:+UseSerialGC",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", // the RIC's JNI client; newer JDKs warn without it
                "-Djava.net.preferIPv4Stack=true",
                Artifacts.jniOption(ric, runtimeDir)));
        command.addAll(functionFlags);
        command.addAll(List.of("-classpath",
                ric.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                handler));
        return command;
    }

    /** /var/task/bootstrap → the same file in the unpacked package; a wrapper from elsewhere (a layer) is not here. */
    private static Path inTaskRoot(String path, Path taskRoot, String function) {
        if (!path.startsWith(TASK_ROOT)) {
            throw new IllegalArgumentException(function + "'s AWS_LAMBDA_EXEC_WRAPPER " + path + " is not in its package ("
                    + TASK_ROOT + "): the local stack has no layers");
        }
        Path local = taskRoot.resolve(path.substring(TASK_ROOT.length())).normalize();
        if (!local.startsWith(taskRoot)) {
            throw new IllegalArgumentException(function + "'s AWS_LAMBDA_EXEC_WRAPPER " + path + " leaves its package");
        }
        return local;
    }
}
