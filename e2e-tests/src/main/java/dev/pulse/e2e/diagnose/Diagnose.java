package dev.pulse.e2e.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.e2e.TerraformOutputs;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a deployed Pulse against its Terraform outputs with the Lambda API (docs/architecture.md#the-e2e-suite): both
 * Function URLs exist with the invoke modes Pulse depends on ({@code BUFFERED} for the dashboard,
 * {@code RESPONSE_STREAM} for the SSE function) and at the URLs the outputs name, the SSE function
 * starts its own runtime through {@code AWS_LAMBDA_EXEC_WRAPPER}, and the dashboard points browsers
 * at the right SSE URL. A URL is looked for on the function's aliases first (with SnapStart, Terraform puts it on
 * the alias {@code live}, and the function itself has none), then on the function; the configuration checked is the
 * one the URL serves (the alias's version, or the function's). Every alarm the outputs name ({@code alarm_names}) must not be in ALARM (SSE throttles,
 * function errors). It also summarises the last {@link #LOG_WINDOW} of both log groups ({@link LogSummaries}: error
 * lines, 421s, stream end reasons, delivery lag) and gives the CloudWatch dashboard's console link.
 *
 * <p>A wrong invoke mode is the failure this exists for: a streaming function behind a BUFFERED
 * URL answers only when the stream ends, so clients see nothing for up to 15 minutes.
 */
public final class Diagnose {
    /** How far back {@code make diagnose} reads the logs, unless {@code DIAGNOSE_MINUTES} says otherwise. */
    static final Duration LOG_WINDOW = Duration.ofMinutes(30);
    static final String WRAPPER = "/var/task/bootstrap";

    private final LambdaClient lambda;
    private final LogSummaries logs;
    private final CloudWatchAlarms alarms;
    private final Clock clock;
    private Duration logWindow = LOG_WINDOW;

    /** Without alarms: the Function URL and log checks only. */
    public Diagnose(LambdaClient lambda, CloudWatchLogsClient logs) {
        this(lambda, logs, null, Clock.systemUTC());
    }

    /** {@code alarms} reads the state of the alarms named by the {@code alarm_names} output. */
    public Diagnose(LambdaClient lambda, CloudWatchLogsClient logs, CloudWatchAlarms alarms) {
        this(lambda, logs, alarms, Clock.systemUTC());
    }

    Diagnose(LambdaClient lambda, CloudWatchLogsClient logs, CloudWatchAlarms alarms, Clock clock) {
        this.lambda = lambda;
        this.logs = new LogSummaries(new CloudWatchLogSource(logs));
        this.alarms = alarms;
        this.clock = clock;
    }

    /** Reads the last {@code window} of the logs instead of {@link #LOG_WINDOW}. */
    public Diagnose logWindow(Duration window) {
        this.logWindow = window;
        return this;
    }

    /**
     * @throws SdkClientException when the AWS API cannot be reached at all (no credentials, no
     *                            region, no network): there is nothing to diagnose then
     */
    public DiagnoseReport run(TerraformOutputs outputs) {
        List<Check> checks = new ArrayList<>();
        Optional<String> dashboardName = required(outputs, "dashboard_function_name", checks);
        Optional<String> sseName = required(outputs, "sse_function_name", checks);
        Optional<String> dashboardUrl = required(outputs, "dashboard_function_url", checks);
        Optional<String> sseUrl = required(outputs, "sse_lambda_function_url", checks);

        Optional<String> dashboardAlias = dashboardName.flatMap(name -> checkUrl(checks, "dashboard", name, "BUFFERED",
                dashboardUrl));
        Optional<String> sseAlias = sseName.flatMap(name -> checkUrl(checks, "sse", name, "RESPONSE_STREAM", sseUrl));
        sseName.flatMap(name -> configuration(checks, "sse", name, sseAlias)).ifPresent(config -> {
            String wrapper = env(config).get("AWS_LAMBDA_EXEC_WRAPPER");
            checks.add(WRAPPER.equals(wrapper)
                    ? Check.pass("sse exec wrapper", "AWS_LAMBDA_EXEC_WRAPPER=" + wrapper)
                    : Check.fail("sse exec wrapper", "AWS_LAMBDA_EXEC_WRAPPER is " + (wrapper == null ? "not set" : wrapper)
                    + ", expected " + WRAPPER + ": without it the managed java21 runtime runs the handler and"
                    + " buffers every response"));
        });
        dashboardName.flatMap(name -> configuration(checks, "dashboard", name, dashboardAlias)).ifPresent(config -> {
            String configured = env(config).get("SSE_URL");
            if (sseUrl.isEmpty()) {
                return;
            }
            checks.add(configured != null && normalise(configured).equals(normalise(sseUrl.get()))
                    ? Check.pass("dashboard SSE_URL", configured)
                    : Check.fail("dashboard SSE_URL", "is " + configured + " but the SSE Function URL is " + sseUrl.get()
                    + ": the page and the 421 answer send browsers to the wrong place"));
        });

        checkAlarms(outputs, checks);

        Instant now = clock.instant();
        return new DiagnoseReport(checks, summary(outputs, now.minus(logWindow), now),
                dashboardLink(outputs, lambda.serviceClientConfiguration().region().id()));   // the region being diagnosed
    }

    /** Both log groups over [from, to); never throws (a group that cannot be read is named in the summary). */
    public LogSummary summary(TerraformOutputs outputs, Instant from, Instant to) {
        return logs.summarise(outputs.string("dashboard_log_group").orElse(null),
                outputs.string("sse_log_group").orElse(null), from, to);
    }

    /** The CloudWatch dashboard's console link, or null when the outputs name none (a deployment before it existed). */
    static String dashboardLink(TerraformOutputs outputs, String region) {
        Optional<String> name = outputs.string("cloudwatch_dashboard_name");
        return name.isPresent() && region != null ? DashboardLink.of(region, name.get()) : null;
    }

    /** One check per alarm the outputs name: it must exist and not be in ALARM. */
    private void checkAlarms(TerraformOutputs outputs, List<Check> checks) {
        Optional<JsonNode> listed = outputs.value("alarm_names");
        if (alarms == null || listed.isEmpty() || !listed.get().isArray() || listed.get().isEmpty()) {
            return; // a deployment without alarms (or a local stack): nothing to check
        }
        List<String> names = new ArrayList<>();
        listed.get().forEach(name -> names.add(name.asText()));
        Map<String, CloudWatchAlarms.Alarm> found;
        try {
            found = alarms.describe(names).stream()
                    .collect(Collectors.toMap(CloudWatchAlarms.Alarm::name, Function.identity(), (a, b) -> a));
        } catch (CloudWatchAlarms.AlarmsException e) {
            checks.add(Check.fail("alarms", "cannot be read (cloudwatch:DescribeAlarms): " + oneLine(e)));
            return;
        }
        for (String name : names) {
            CloudWatchAlarms.Alarm alarm = found.get(name);
            if (alarm == null) {
                checks.add(Check.fail("alarm " + name, "not found in CloudWatch, though the outputs name it"));
            } else if (alarm.state().equals("ALARM")) {
                checks.add(Check.fail("alarm " + name, "in ALARM (" + alarm.metric() + "): " + alarm.reason()));
            } else {
                checks.add(Check.pass("alarm " + name, alarm.state()));
            }
        }
    }

    /**
     * The invoke mode and URL checks of one function's Function URL.
     *
     * @return the alias the URL is on; empty when it is on the function itself, or when there is none
     */
    private Optional<String> checkUrl(List<Check> checks, String role, String function, String expectedMode,
                                      Optional<String> outputUrl) {
        String name = role + " invoke mode";
        List<String> misses = new ArrayList<>();
        Optional<FoundUrl> found = findUrl(function, outputUrl, misses);
        if (found.isEmpty()) {
            checks.add(Check.fail(name, "no Function URL config for " + function + ": " + String.join("; ", misses)));
            return Optional.empty();
        }
        GetFunctionUrlConfigResponse config = found.get().config();
        String mode = config.invokeModeAsString() == null ? "BUFFERED" : config.invokeModeAsString(); // AWS default
        checks.add(expectedMode.equals(mode)
                ? Check.pass(name, function + " is " + mode)
                : Check.fail(name, function + " is " + mode + ", expected " + expectedMode
                + (expectedMode.equals("RESPONSE_STREAM") ? ": the stream is held back until it ends" : "")));
        String where = found.get().alias() == null ? "" : " (on alias " + found.get().alias() + ")";
        outputUrl.ifPresent(expected -> checks.add(normalise(config.functionUrl()).equals(normalise(expected))
                ? Check.pass(role + " url", config.functionUrl() + where)
                : Check.fail(role + " url", "Lambda says " + config.functionUrl() + where + ", the outputs say " + expected)));
        return Optional.ofNullable(found.get().alias());
    }

    /** A Function URL config, and the alias it is on (null: on the function itself). */
    private record FoundUrl(GetFunctionUrlConfigResponse config, String alias) {
    }

    /**
     * The function's Function URL config: on one of its aliases, asked first, or on the function. Of several, the one
     * whose URL the outputs name, else the first found. {@code misses} gets why none was found.
     */
    private Optional<FoundUrl> findUrl(String function, Optional<String> outputUrl, List<String> misses) {
        List<String> qualifiers = new ArrayList<>();
        try {
            lambda.listAliasesPaginator(b -> b.functionName(function)).aliases().forEach(alias -> qualifiers.add(alias.name()));
        } catch (SdkClientException e) {
            throw e;
        } catch (SdkException e) {
            misses.add("its aliases cannot be listed (" + oneLine(e) + ")");
        }
        qualifiers.add(null); // the function itself, last
        FoundUrl first = null;
        for (String qualifier : qualifiers) {
            GetFunctionUrlConfigResponse config;
            try {
                config = lambda.getFunctionUrlConfig(b -> b.functionName(function).qualifier(qualifier));
            } catch (SdkClientException e) {
                throw e;
            } catch (SdkException e) {
                misses.add((qualifier == null ? "on the function" : "on alias " + qualifier) + ": " + oneLine(e));
                continue;
            }
            FoundUrl found = new FoundUrl(config, qualifier);
            if (outputUrl.isPresent() && normalise(config.functionUrl()).equals(normalise(outputUrl.get()))) {
                return Optional.of(found);
            }
            first = first == null ? found : first;
        }
        return Optional.ofNullable(first);
    }

    /** The configuration the URL serves: its alias's version, or the function's ({@code $LATEST}). */
    private Optional<GetFunctionConfigurationResponse> configuration(List<Check> checks, String role, String function,
                                                                     Optional<String> alias) {
        try {
            return Optional.of(lambda.getFunctionConfiguration(b -> b.functionName(function).qualifier(alias.orElse(null))));
        } catch (SdkClientException e) {
            throw e;
        } catch (SdkException e) {
            checks.add(Check.fail(role + " function", function + alias.map(a -> ":" + a).orElse("") + " cannot be read: "
                    + oneLine(e)));
            return Optional.empty();
        }
    }

    private static Optional<String> required(TerraformOutputs outputs, String name, List<Check> checks) {
        Optional<String> value = outputs.string(name);
        if (value.isEmpty()) {
            checks.add(Check.fail("output " + name, "missing or empty in the Terraform outputs"));
        }
        return value;
    }

    private static Map<String, String> env(GetFunctionConfigurationResponse config) {
        return config.environment() == null || config.environment().variables() == null
                ? Map.of() : config.environment().variables();
    }

    static String normalise(String url) {
        String u = url == null ? "" : url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
