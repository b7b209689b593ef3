package dev.pulse.local;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The two Pulse functions as Terraform deploys them, started from the unchanged artifacts:
 * the dashboard jar under the official runtime interface client, the SSE zip through its bootstrap.
 */
final class PulseFunctions {

    static final String DASHBOARD_HANDLER = "dev.pulse.dashboard.DashboardHandler::handleRequest";
    static final String SSE_HANDLER = "dev.pulse.sse.SseRuntimeMain::handleRequest";
    private static final String JAVA_HOME = System.getProperty("java.home");

    private PulseFunctions() {
    }

    /**
     * What both functions get: the table, the endpoint, the region, dummy credentials, the CORS origins
     * ({@code corsOrigins}: the configured ones, or the dashboard's own) and Lambda's reserved variables.
     */
    static Map<String, String> common(LocalStackConfig config, String functionName, String handler, Path taskRoot,
                                      String dynamoEndpoint, String corsOrigins) {
        Map<String, String> env = new HashMap<>();
        env.put("PULSE_TABLE", config.table());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.putAll(config.awsVariables());   // an external endpoint may check them (PULSE_DYNAMODB_ENDPOINT)
        env.put("PULSE_CORS_ALLOWED_ORIGINS", corsOrigins);
        if (config.version() != null) {
            env.put("PULSE_VERSION", config.version());
        }
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(config.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("JAVA_HOME", JAVA_HOME);
        return env;
    }

    /** java -cp <RIC jars> AWSLambda <handler>, working directory = the unpacked jar (the RIC's task root). */
    static FunctionSpec dashboard(LocalStackConfig config, Path taskRoot, Path runtimeDir, String dynamoEndpoint,
                                  String sseUrl, String name, String corsOrigins) {
        List<String> command = ricCommand(DASHBOARD_HANDLER, config.memoryMb(), runtimeDir);
        Map<String, String> env = common(config, name, DASHBOARD_HANDLER, taskRoot, dynamoEndpoint, corsOrigins);
        env.put("SSE_URL", sseUrl);
        if (config.apiKey() != null && !config.apiKey().isEmpty()) {
            // As Terraform does: the function gets the key's digest, never the key.
            env.put("PULSE_API_KEY_SHA256", sha256Hex(config.apiKey()));
        }
        return new FunctionSpec(name, "[dashboard]", InvokeMode.BUFFERED, config.dashboardConcurrency(),
                config.dashboardTimeout(), config.initTimeout(), command, taskRoot, env);
    }

    /** The managed java21 runtime's command line: the RIC on the classpath, the handler string as argument. */
    static List<String> ricCommand(String handler, int memoryMb, Path runtimeDir) {
        List<Path> ric = Artifacts.runtimeInterfaceClient();
        return List.of(
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
                Artifacts.jniOption(ric, runtimeDir),
                "-classpath",
                ric.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                handler);
    }

    /**
     * The managed runtime would exec AWS_LAMBDA_EXEC_WRAPPER (the bootstrap) with its own command line, and the
     * bootstrap execs the function's runtime loop instead; we exec the bootstrap directly, same result.
     */
    static FunctionSpec sse(LocalStackConfig config, Path taskRoot, String dynamoEndpoint, String name,
                            String corsOrigins) {
        Path bootstrap = taskRoot.resolve("bootstrap");
        Map<String, String> env = common(config, name, SSE_HANDLER, taskRoot, dynamoEndpoint, corsOrigins);
        env.put("AWS_LAMBDA_EXEC_WRAPPER", bootstrap.toString());
        env.putAll(config.sseVariables());
        return new FunctionSpec(name, "[sse]", InvokeMode.RESPONSE_STREAM, config.sseConcurrency(),
                config.sseTimeout(), config.initTimeout(), List.of(bootstrap.toString()), taskRoot, env);
    }

    /** The lower-case hex SHA-256 of the key's UTF-8 bytes: what Terraform's sha256() gives. */
    static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
