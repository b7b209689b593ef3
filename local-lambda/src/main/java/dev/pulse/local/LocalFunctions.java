package dev.pulse.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The functions as Terraform plans them, for the local stack: {@code terraform/local-functions.json}, generated
 * from the root module ({@link PlanDescription}) and the only source of each function's configuration locally.
 *
 * @param about        what the file is and how to regenerate it (for its readers)
 * @param moduleSha256 {@link ModuleHash} of the module it was planned from: another hash means it is stale
 * @param plannedWith  the variable arguments of the plan (tfvars files, markers)
 * @param placeholders what each placeholder in the values stands for ({@link Placeholders})
 * @param functions    each function by its key (its module's name in the root module: dashboard, sse)
 * @param outputs      the root module's outputs the local stack can answer for (its URLs, names, table), by name
 */
record LocalFunctions(String about, String moduleSha256, List<String> plannedWith, Map<String, String> placeholders,
                      Map<String, Function> functions, Map<String, String> outputs) {

    static final String ABOUT = "Generated from terraform/ by `make local-functions` (terraform plan -out + show -json, "
            + "offline); the local stack (make run, the e2e suite, make bench) configures each function from this file only, "
            + "and regenerates it when terraform/ has changed and terraform is installed. Do not edit it by hand.";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    LocalFunctions {
        plannedWith = List.copyOf(plannedWith);
        placeholders = sorted(placeholders);
        functions = sorted(functions);
        outputs = sorted(outputs);
    }

    /**
     * One function and its Function URL, as planned.
     *
     * @param artifact            the deployment package, relative to the directory holding terraform/ (the repository)
     * @param architecture        what it runs on at AWS (locally: this machine's)
     * @param reservedConcurrency -1 = unreserved
     * @param capacity            on demand, or Lambda Managed Instances with their concurrency per environment
     * @param snapStart           {@code snap_start} with {@code apply_on = "PublishedVersions"}: Lambda snapshots each
     *                            published version after its init; a URL on an alias of one serves it restored
     * @param execWrapper         AWS_LAMBDA_EXEC_WRAPPER, which the managed runtime execs instead of itself; null = none
     * @param environment         its environment variables, values that AWS decides as {@link Placeholders}
     * @param url                 its Function URL; null = none
     * @param logging             its logging_config (format and levels); null = Lambda's default, plain text
     */
    record Function(String functionName, String artifact, String packageType, String runtime, String handler,
                    String architecture, int memoryMb, int timeoutSeconds, int reservedConcurrency, Capacity capacity,
                    boolean snapStart, String execWrapper, Map<String, String> environment, Url url, Logging logging) {
        Function {
            environment = sorted(environment);
            capacity = capacity == null ? Capacity.ON_DEMAND : capacity;
        }

        /**
         * Whether its URL serves a version restored from a SnapStart snapshot: SnapStart is on and the URL is on an
         * alias (SnapStart applies to published versions; a URL without a qualifier serves $LATEST, initialised on
         * demand). Managed Instances restore no snapshots.
         */
        boolean urlServesSnapshots() {
            return snapStart && url != null && url.qualifier() != null && !capacity.isManagedInstances();
        }
    }

    /**
     * How the function runs, as the root output {@code <function key>_capacity} plans it (no such output: on demand).
     *
     * @param mode                         {@code on_demand} or {@code managed_instances}
     * @param perEnvironmentMaxConcurrency Managed Instances: invocations one execution environment takes at once
     * @param minExecutionEnvironments     Managed Instances: the execution environments kept running
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Capacity(String mode, Integer perEnvironmentMaxConcurrency, Integer minExecutionEnvironments) {

        static final String ON_DEMAND_MODE = "on_demand";
        static final String MANAGED_INSTANCES_MODE = "managed_instances";
        static final Capacity ON_DEMAND = new Capacity(ON_DEMAND_MODE, null, null);

        Capacity {
            if (ON_DEMAND_MODE.equals(mode)) {
                if (perEnvironmentMaxConcurrency != null || minExecutionEnvironments != null) {
                    throw new IllegalArgumentException("an on_demand capacity has no per-environment concurrency or minimum");
                }
            } else if (MANAGED_INSTANCES_MODE.equals(mode)) {
                if (perEnvironmentMaxConcurrency == null || perEnvironmentMaxConcurrency < 1
                        || minExecutionEnvironments == null || minExecutionEnvironments < 1) {
                    throw new IllegalArgumentException("a managed_instances capacity needs per_environment_max_concurrency and "
                            + "min_execution_environments of at least 1, not " + perEnvironmentMaxConcurrency + " and "
                            + minExecutionEnvironments);
                }
            } else {
                throw new IllegalArgumentException("capacity mode " + mode + " is neither " + ON_DEMAND_MODE + " nor "
                        + MANAGED_INSTANCES_MODE);
            }
        }

        static Capacity managedInstances(int perEnvironmentMaxConcurrency, int minExecutionEnvironments) {
            return new Capacity(MANAGED_INSTANCES_MODE, perEnvironmentMaxConcurrency, minExecutionEnvironments);
        }

        boolean isManagedInstances() {
            return MANAGED_INSTANCES_MODE.equals(mode);
        }
    }

    /**
     * A function's logging_config: {@code JSON} or {@code Text}, and with JSON the lowest levels Lambda keeps of the
     * function's own lines and of its platform lines (what Lambda passes as AWS_LAMBDA_LOG_FORMAT / _LEVEL).
     */
    record Logging(String logFormat, String applicationLogLevel, String systemLogLevel) {
    }

    /**
     * A Function URL: invoke mode (BUFFERED / RESPONSE_STREAM), auth type (NONE / AWS_IAM), the alias it is on (null:
     * the function itself, $LATEST), CORS.
     */
    record Url(String invokeMode, String authorizationType, String qualifier, Cors cors) {
    }

    /** A Function URL's CORS configuration; null = none. */
    record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                List<String> exposeHeaders, Integer maxAge, Boolean allowCredentials) {
    }

    static LocalFunctions read(Path file) {
        try {
            return MAPPER.readValue(file.toFile(), LocalFunctions.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    String toJson() {
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                    .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
            return MAPPER.writer(printer).writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Written to a temporary file next to it, then moved over it: a reader never sees half a file. */
    void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".local-functions", ".json");
            try {
                Files.writeString(temp, toJson(), StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
