package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.PulseTable;
import dev.pulse.core.Sha256;
import dev.pulse.core.http.Cors;
import dev.pulse.emulators.DynamoDbEmulator;
import dev.pulse.local.lambda.Capacity;
import dev.pulse.emulators.CpuShares;
import dev.pulse.local.lambda.FunctionSpec;
import dev.pulse.local.lambda.LambdaEmulator;
import dev.pulse.local.lambda.OriginPolicy;
import dev.pulse.local.lambda.RequestGuard;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole local Pulse stack: the DynamoDB emulator with the table, and each function of the description
 * ({@link LocalFunctions}, planned from terraform/) from its real artifact behind its Function URL, with the
 * invoke mode, memory, timeout, concurrency and environment Terraform gives it, AWS's values (table, URLs,
 * key digest, CORS origins) replaced by local ones, and the explicit local overrides of {@link LocalPulseConfig}.
 */
final class LocalPulse implements AutoCloseable {

    /** The function that serves the page: by default, browsers may call the stack only from its origin. */
    static final String PAGE_FUNCTION = "dashboard";
    /** Environments an unreserved function may run locally (on AWS: the account's unreserved pool). */
    static final int UNRESERVED_LOCAL_LIMIT = 10;
    /** Environments of a Managed Instances trial (PULSE_<FUNCTION>_MAX_CONCURRENCY on an on-demand description): the
     *  three Lambda starts by default. */
    static final int MANAGED_INSTANCES_DEFAULT_ENVIRONMENTS = 3;

    private final LocalPulseConfig config;
    private final LocalFunctions description;
    private final Consumer<String> log;
    private final Path workDir;
    /** Null when PULSE_DYNAMODB_ENDPOINT names an endpoint: then the stack starts no emulator. */
    private DynamoDbEmulator dynamo;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private URI dynamoEndpoint;
    private LambdaEmulator functions;
    private CpuShares cpu;
    private LocalLogs logs;
    private final Map<String, URI> urls = new LinkedHashMap<>();
    private final Map<String, FunctionSpec> specs = new LinkedHashMap<>();
    private String corsOrigins;

    private LocalPulse(LocalPulseConfig config, LocalFunctions description, Consumer<String> log) throws IOException {
        this.config = config;
        this.description = description;
        this.log = log;
        this.workDir = Files.createTempDirectory("pulse-local-");
    }

    /** Reads the description (regenerating it first when terraform/ changed and that is allowed), then starts. */
    static LocalPulse start(LocalPulseConfig config, Consumer<String> log) {
        LocalFunctions description = LocalFunctionsFile.load(config.repoRoot(), config.terraformDir(), config.refresh(),
                LocalFunctionsFile.terraformOnPath(System.getenv()), log);
        return start(config, description, log);
    }

    static LocalPulse start(LocalPulseConfig config, LocalFunctions description, Consumer<String> log) {
        Map<String, Path> artifacts = new LinkedHashMap<>();
        description.functions().forEach((key, function) ->
                artifacts.put(key, Artifacts.require(config.repoRoot(), function.artifact())));
        LocalPulse stack;
        try {
            stack = new LocalPulse(config, description, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        try {
            stack.startAll(artifacts);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Map<String, Path> artifacts) {
        if (config.dynamoEndpoint() == null) {
            dynamo = DynamoDbEmulator.start(config.dynamoPort());
            dynamoEndpoint = dynamo.endpoint();
        } else {
            dynamoEndpoint = config.dynamoEndpoint();
        }
        try (DynamoDbClient client = tableClient()) {
            PulseTable.create(client, config.table());   // creates it only when it is absent
        }
        log.accept(dynamo != null
                ? "[local] DynamoDB emulator on " + dynamoEndpoint + ", table " + config.table()
                : "[local] DynamoDB at " + dynamoEndpoint + " (PULSE_DYNAMODB_ENDPOINT), table " + config.table());

        logs = LocalLogs.open(logDirectory(config), config.settings(), log);
        description.functions().keySet().forEach(logs::create);
        cpu = config.cpuShare() ? CpuShares.detect("pulse-local-" + ProcessHandle.current().pid())
                : CpuShares.off("PULSE_CPU_SHARE=off");
        log.accept(cpu.available()
                ? "[local] CPU share: each environment gets Lambda's share of a vCPU during invocations (memory / "
                        + CpuShares.MB_PER_VCPU + " MB on demand), init unlimited; " + cpu.description()
                : "[local] CPU share not emulated (" + cpu.description() + "): environments use this machine's CPUs");
        functions = new LambdaEmulator(log, logs, cpu);
        // Every URL first: a function's configuration may name another's (the dashboard's SSE_URL), and CORS
        // defaults to the page's own origin.
        Map<String, LambdaEmulator.UrlSocket> sockets = new LinkedHashMap<>();
        description.functions().keySet().forEach(key -> sockets.put(key, listen(key, config.port(key))));
        sockets.forEach((key, socket) -> urls.put(key, socket.url()));
        corsOrigins = config.corsOrigins() != null ? config.corsOrigins() : defaultOrigins(sockets);
        Map<String, String> local = localValues(config, corsOrigins, urls);
        description.functions().forEach((key, function) -> {
            Path taskRoot = Artifacts.extract(artifacts.get(key), workDir.resolve(key + "-task"));
            ManagedRuntime.Settings settings = settings(config, key, function, local, dynamoEndpoint);
            FunctionSpec spec = ManagedRuntime.spec(key, function, settings, taskRoot, workDir.resolve("runtime"));
            specs.put(key, spec);
            functions.addFunction(spec, sockets.get(key), originPolicy(urlOrigins(function, local)));
            log.accept("[local] " + key + ": " + summary(function, settings));
        });
    }

    /** The functions' log files: {@code local-logs/} beside the outputs file (so a run's stack keeps them apart). */
    static Path logDirectory(LocalPulseConfig config) {
        return config.outputsFile().getParent().resolve("local-logs");
    }

    /** What the placeholders of the description stand for here. */
    static Map<String, String> localValues(LocalPulseConfig config, String corsOrigins, Map<String, URI> urls) {
        Map<String, String> local = new HashMap<>();
        local.put(Placeholders.TABLE_NAME, config.table());
        // As Terraform does: the function gets the key's digest, never the key; no key = open writes.
        local.put(Placeholders.API_KEY_SHA256, config.apiKey() == null || config.apiKey().isEmpty()
                ? "" : Sha256.hex(config.apiKey())); // what Terraform's sha256() gives
        local.put(Placeholders.CORS_ALLOWED_ORIGINS, corsOrigins);
        urls.forEach((key, url) -> local.put(Placeholders.functionUrl(key), url.toString()));
        return local;
    }

    /** The description's values, then the local overrides; the table, its endpoint and dummy credentials. */
    static ManagedRuntime.Settings settings(LocalPulseConfig config, String key, LocalFunctions.Function function,
                                            Map<String, String> local, URI dynamoEndpoint) {
        Map<String, String> variables = new HashMap<>();
        function.environment().forEach((name, value) -> variables.put(name, Placeholders.fill(value, local)));
        variables.putAll(config.variableOverrides(key, function.environment()));
        variables.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint.toString());
        variables.put("AWS_REGION", "us-east-1");
        variables.put("AWS_DEFAULT_REGION", "us-east-1");
        variables.put("AWS_ACCESS_KEY_ID", "local");
        variables.put("AWS_SECRET_ACCESS_KEY", "local");
        variables.putAll(config.awsVariables());   // an external endpoint may check them (PULSE_DYNAMODB_ENDPOINT)
        Capacity capacity = capacity(config, key, function);
        return new ManagedRuntime.Settings(
                capacity,
                config.timeout(key).orElse(Duration.ofSeconds(function.timeoutSeconds())),
                config.initTimeout(),
                memoryMb(config, key, function, capacity),
                LocalLogs.applicationLevel(function, config.settings()),
                variables,
                // A trial of Managed Instances (PULSE_<FUNCTION>_MAX_CONCURRENCY) runs without: they restore no snapshots.
                function.urlServesSnapshots() && !capacity.managedInstances());
    }

    /**
     * As planned, with the overrides: PULSE_<FUNCTION>_MAX_CONCURRENCY runs the function in Managed Instances mode
     * with that many invocations per environment; PULSE_<FUNCTION>_CONCURRENCY sets the environments (on demand, the
     * most of them; on Managed Instances, those started with the function).
     */
    static Capacity capacity(LocalPulseConfig config, String key, LocalFunctions.Function function) {
        Capacity planned = plannedCapacity(function);
        OptionalInt perEnvironment = config.maxConcurrency(key);
        OptionalInt environments = config.concurrency(key);
        if (planned.managedInstances() || perEnvironment.isPresent()) {
            return Capacity.managedInstances(environments.orElse(planned.managedInstances() ? planned.environments()
                    : MANAGED_INSTANCES_DEFAULT_ENVIRONMENTS), perEnvironment.orElse(planned.perEnvironment()));
        }
        if (function.reservedConcurrency() == 0 && environments.isEmpty()) {
            throw new IllegalArgumentException(function.functionName() + " has reserved concurrency 0: every invocation "
                    + "would be throttled (set " + LocalPulseConfig.variable(key, "CONCURRENCY") + " to run it anyway)");
        }
        return Capacity.onDemand(environments.orElse(planned.environments()));
    }

    /**
     * The planned memory, or PULSE_FUNCTION_MEMORY_MB. A Managed Instances environment has 2,048 MB at least (AWS's
     * minimum): a smaller planned memory (an on-demand description tried with PULSE_<FUNCTION>_MAX_CONCURRENCY) is
     * raised to it, and the start line says so; a smaller override is refused, as AWS would refuse it.
     */
    static int memoryMb(LocalPulseConfig config, String key, LocalFunctions.Function function, Capacity capacity) {
        OptionalInt override = config.memoryMb();
        if (!capacity.managedInstances()) {
            return override.orElse(function.memoryMb());
        }
        int minimum = Capacity.MANAGED_INSTANCES_MIN_MEMORY_MB;
        if (override.isPresent() && override.getAsInt() < minimum) {
            throw new IllegalArgumentException("PULSE_FUNCTION_MEMORY_MB=" + override.getAsInt() + " is below the "
                    + minimum + " MB a Lambda Managed Instances environment needs, and the " + key + " function runs in "
                    + "that mode: unset PULSE_FUNCTION_MEMORY_MB or give " + minimum + " or more");
        }
        return override.orElse(Math.max(function.memoryMb(), minimum));
    }

    /**
     * The capacity the description plans, as the emulator would run it without overrides (reserved concurrency 0, which
     * {@link #capacity} refuses without an override, as one environment).
     */
    static Capacity plannedCapacity(LocalFunctions.Function function) {
        LocalFunctions.Capacity planned = function.capacity();
        if (planned.isManagedInstances()) {
            return Capacity.managedInstances(planned.minExecutionEnvironments(), planned.perEnvironmentMaxConcurrency());
        }
        int reserved = function.reservedConcurrency();
        return Capacity.onDemand(reserved < 0 ? UNRESERVED_LOCAL_LIMIT : Math.max(reserved, 1));
    }

    /** One line per function: what runs, with which settings, and which of them are local overrides. */
    private String summary(LocalFunctions.Function function, ManagedRuntime.Settings settings) {
        StringBuilder line = new StringBuilder()
                .append(function.functionName()).append(", ").append(function.runtime())
                .append(function.execWrapper() != null ? " via " + function.execWrapper() : " " + function.handler())
                .append(", ").append(function.url().invokeMode())
                .append("NONE".equals(function.url().authorizationType()) ? ""
                        : " (auth " + function.url().authorizationType() + ", served here without it)")
                .append(", ").append(settings.memoryMb()).append(" MB")
                .append(", timeout ").append(settings.timeout().toSeconds()).append(" s")
                .append(", ").append(settings.capacity())
                .append(snapStartNote(function, settings))
                .append(", ").append(function.architecture()).append(" on AWS")
                .append(settings.logLevel() == null ? ", text logs" : ", JSON logs at " + settings.logLevel());
        List<String> overrides = new ArrayList<>();
        if (settings.memoryMb() != function.memoryMb()) {
            overrides.add("memory " + function.memoryMb() + " -> " + settings.memoryMb() + " MB"
                    + (settings.capacity().managedInstances() && config.memoryMb().isEmpty()
                    ? " (Managed Instances need " + Capacity.MANAGED_INSTANCES_MIN_MEMORY_MB + " MB at least)" : ""));
        }
        if (settings.timeout().toSeconds() != function.timeoutSeconds()) {
            overrides.add("timeout " + function.timeoutSeconds() + " -> " + settings.timeout().toSeconds() + " s");
        }
        String plannedLevel = LocalLogs.plannedLevel(function);
        if (settings.logLevel() != null && !settings.logLevel().equals(plannedLevel)) {
            overrides.add("log level " + plannedLevel + " -> " + settings.logLevel());
        }
        Capacity planned = plannedCapacity(function);
        if (!settings.capacity().managedInstances() && !planned.managedInstances()) {
            if (settings.capacity().environments() != function.reservedConcurrency()) {
                overrides.add("concurrency " + (function.reservedConcurrency() < 0 ? "unreserved" : function.reservedConcurrency())
                        + " -> " + settings.capacity().environments());
            }
        } else if (!settings.capacity().equals(planned)) {
            overrides.add(planned + " -> " + settings.capacity());
        }
        function.environment().forEach((name, value) -> {
            String now = settings.variables().get(name);
            if (!value.startsWith("${") && now != null && !now.equals(value)) {
                overrides.add(name + " " + value + " -> " + now);
            }
        });
        settings.variables().keySet().stream().filter(name -> name.startsWith("SSE_") && !function.environment().containsKey(name))
                .sorted().forEach(name -> overrides.add(name + "=" + settings.variables().get(name) + " added"));
        if (!overrides.isEmpty()) {
            line.append("; local overrides: ").append(String.join(", ", overrides));
        }
        return line.toString();
    }

    /** What the start line says about SnapStart: nothing without it. */
    static String snapStartNote(LocalFunctions.Function function, ManagedRuntime.Settings settings) {
        if (settings.snapStart()) {
            return ", SnapStart (URL on alias " + function.url().qualifier() + "; init ends with /restore/next, "
                    + "answered at once: nothing is snapshotted here)";
        }
        if (!function.snapStart()) {
            return "";
        }
        return function.url() == null || function.url().qualifier() == null
                ? ", SnapStart planned but its URL serves $LATEST, which SnapStart does not apply to: init on demand"
                : ", SnapStart planned but not with Managed Instances: init on demand";
    }

    /**
     * The pages whose requests a URL takes besides its own: its CORS allow_origins from the description (the
     * placeholder filled in with the local origins); none without CORS.
     */
    static String urlOrigins(LocalFunctions.Function function, Map<String, String> local) {
        LocalFunctions.Cors cors = function.url().cors();
        if (cors == null || cors.allowOrigins() == null || cors.allowOrigins().isEmpty()) {
            return null;
        }
        return String.join(",", cors.allowOrigins().stream().map(origin -> Placeholders.fill(origin, local)).toList());
    }

    /**
     * The pages a URL takes requests from besides its own: its CORS origins ({@link #urlOrigins}) read with the rule
     * the functions read {@code PULSE_CORS_ALLOWED_ORIGINS} with (core's {@link Cors}: comma-separated, {@code *} =
     * any); a refused page is told that setting's name.
     */
    static OriginPolicy originPolicy(String origins) {
        Cors cors = Cors.parse(origins, "", null);   // only its origin rule is used here
        return new OriginPolicy(cors::allows, "set PULSE_CORS_ALLOWED_ORIGINS to allow another page");
    }

    /** The page's own origin; without a page function, every URL's. */
    private static String defaultOrigins(Map<String, LambdaEmulator.UrlSocket> sockets) {
        if (sockets.containsKey(PAGE_FUNCTION)) {
            return RequestGuard.ownOrigins(sockets.get(PAGE_FUNCTION).port());
        }
        return String.join(",", sockets.values().stream().map(s -> RequestGuard.ownOrigins(s.port())).toList());
    }

    /**
     * Dummy credentials in us-east-1 for the emulator, or the caller's credentials and region when an external
     * endpoint may check them.
     */
    private DynamoDbClient tableClient() {
        Map<String, String> aws = config.awsVariables();
        boolean callersKeys = aws.containsKey("AWS_ACCESS_KEY_ID") && aws.containsKey("AWS_SECRET_ACCESS_KEY");
        AwsCredentials credentials;
        if (!callersKeys) {
            credentials = AwsBasicCredentials.create("local", "local");
        } else if (aws.containsKey("AWS_SESSION_TOKEN")) {
            credentials = AwsSessionCredentials.create(aws.get("AWS_ACCESS_KEY_ID"), aws.get("AWS_SECRET_ACCESS_KEY"),
                    aws.get("AWS_SESSION_TOKEN"));
        } else {
            credentials = AwsBasicCredentials.create(aws.get("AWS_ACCESS_KEY_ID"), aws.get("AWS_SECRET_ACCESS_KEY"));
        }
        return DynamoDbClient.builder()
                .endpointOverride(dynamoEndpoint)
                .region(callersKeys ? Region.of(aws.getOrDefault("AWS_REGION", "us-east-1")) : Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** The function's URL (ends with '/'). */
    URI url(String function) {
        URI url = urls.get(function);
        if (url == null) {
            throw new IllegalArgumentException("no function " + function + " in the description: " + urls.keySet());
        }
        return url;
    }

    /** Each function's URL, by key, in the description's order. */
    Map<String, URI> urls() {
        return Collections.unmodifiableMap(urls);
    }

    LocalFunctions description() {
        return description;
    }

    /** The CORS origins the functions (and, through the description's placeholder, their URLs) allow: configured, or the page's own. */
    String corsOrigins() {
        return corsOrigins;
    }

    URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    /** A function as registered, e.g. to register the same artifact behind a second URL with another invoke mode. */
    FunctionSpec spec(String function) {
        return specs.get(function);
    }

    LambdaEmulator functions() {
        return functions;
    }

    /**
     * Waits until every URL answers an HTTP request (GET /health, any status): this also starts one warm
     * environment of each function.
     */
    void awaitAnswering(Duration limit) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (URI url : urls.values()) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("health"))
                            .timeout(limit).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 502 && response.statusCode() != 429) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(url + " answers " + response.statusCode()
                                + " to GET /health; see the function's log lines above");
                    }
                    sleep(); // a failing function: do not start environments in a tight loop
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new UncheckedIOException(url + " does not answer", e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + url, e);
                }
                sleep();
            }
        }
    }

    /**
     * The outputs, shaped like `terraform output -json`, written atomically: each root output of the description
     * the stack can answer for (the functions' URLs and names, the table), and, local only, dynamodb_endpoint.
     */
    void writeOutputs(Path file) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        Map<String, String> local = localValues(config, corsOrigins, urls);
        description.outputs().forEach((name, value) -> output(root, name, Placeholders.fill(value, local)));
        output(root, "dynamodb_endpoint", dynamoEndpoint.toString());
        // Local only, as the log groups are on AWS: where diagnose reads each function's lines.
        description.functions().keySet().forEach(key -> output(root, key + "_log_file", logs.file(key).toString()));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".local-outputs", ".json");
            mapper.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void output(ObjectNode root, String name, String value) {
        ObjectNode node = root.putObject(name);
        node.put("sensitive", false);
        node.put("type", "string");
        node.put("value", value);
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A URL's socket, or a message naming the setting to change when its port is taken. */
    private LambdaEmulator.UrlSocket listen(String function, int port) {
        try {
            return functions.listen(port);
        } catch (java.io.UncheckedIOException e) {
            String variable = LocalPulseConfig.variable(function, "PORT");
            throw new IllegalStateException("port " + port + " for the " + function + " function URL is in use (another"
                    + " `make run`?): set " + variable + " to a free port, or " + variable + "=0 for any free one", e);
        }
    }

    /**
     * A part of the stack that died on its own, described for the person watching, or empty while all run. The
     * DynamoDB emulator is the one part outside this JVM that every function needs; an execution environment
     * that dies is replaced by its pool at the next invocation, as on Lambda.
     */
    java.util.Optional<String> deadPart() {
        if (dynamo != null && !dynamo.isAlive() && !closing.get()) {
            return java.util.Optional.of("the DynamoDB emulator (moto, " + dynamoEndpoint + ") exited; its log: "
                    + dynamo.log());
        }
        return java.util.Optional.empty();
    }

    @Override
    public void close() {
        closing.set(true);
        if (functions != null) {
            functions.close();
        }
        if (cpu != null) {
            cpu.close();
        }
        if (logs != null) {
            logs.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
