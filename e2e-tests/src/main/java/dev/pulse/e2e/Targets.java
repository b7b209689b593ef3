package dev.pulse.e2e;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The two base URLs the e2e suite talks to, where they came from, and what was odd about them.
 *
 * <p>Both URLs are normalised by {@link #normalise(String, String)}: absolute {@code http(s)}, no
 * trailing slash, no query or fragment. Requests append an absolute path ({@code /health}), so
 * {@code https://x.lambda-url.eu-west-1.on.aws/} and {@code https://x.lambda-url.eu-west-1.on.aws}
 * name the same target.
 *
 * @param dashboardUrl the dashboard function's URL (BUFFERED): the JSON API, writes, the page
 * @param sseUrl       the SSE function's URL (RESPONSE_STREAM): {@code /api/v2/stream} and below;
 *                     equal to {@code dashboardUrl} when only the dashboard URL was known (see warnings)
 * @param source       human description of where the URLs came from, e.g. {@code env DASHBOARD_URL/SSE_LAMBDA_URL}
 * @param warnings     things a person should see before trusting the run (printed by the suite)
 */
public record Targets(URI dashboardUrl, URI sseUrl, String source, List<String> warnings) {

    /** Output names fixed by docs/architecture.md, "Terraform" and "The local stack". */
    public static final String DASHBOARD_OUTPUT = "dashboard_function_url";
    public static final String SSE_OUTPUT = "sse_lambda_function_url";

    public Targets {
        Objects.requireNonNull(dashboardUrl, "dashboardUrl");
        Objects.requireNonNull(sseUrl, "sseUrl");
        Objects.requireNonNull(source, "source");
        warnings = List.copyOf(warnings);
    }

    /**
     * Targets from a {@code terraform output -json} document (the local stack writes the same shape).
     * Other outputs, sensitive or not, are ignored; a missing SSE output falls back to the dashboard
     * URL with a warning.
     *
     * @throws TargetException if the document is not outputs JSON or lacks {@value #DASHBOARD_OUTPUT}
     */
    public static Targets fromOutputsJson(String json) {
        return fromOutputsJson(json, "outputs JSON");
    }

    /** As {@link #fromOutputsJson(String)}, with {@code source} naming where the document came from. */
    public static Targets fromOutputsJson(String json, String source) {
        TerraformOutputs outputs = TerraformOutputs.parse(json, source);
        String dashboard = outputs.string(DASHBOARD_OUTPUT).orElseThrow(() -> new TargetException(
                source + " has no output \"" + DASHBOARD_OUTPUT + "\" (outputs present: "
                        + outputs.names() + "); has the stack been deployed/applied?"));
        return of(dashboard, outputs.string(SSE_OUTPUT).orElse(null),
                source, DASHBOARD_OUTPUT, SSE_OUTPUT);
    }

    /**
     * Builds targets from raw strings; {@code sse} may be null/blank, which falls back to the
     * dashboard URL with a warning (docs/architecture.md#the-e2e-suite). The names are used in messages only.
     */
    public static Targets of(String dashboard, String sse, String source, String dashboardName, String sseName) {
        URI dashboardUri = normalise(dashboard, dashboardName);
        if (sse == null || sse.isBlank()) {
            return new Targets(dashboardUri, dashboardUri, source, List.of(
                    sseName + " is not set: stream requests go to the dashboard URL " + dashboardUri
                            + ", which (BUFFERED) can only answer them with 421 misdirected_stream_request;"
                            + " SSE tests will fail. Set " + sseName + " to the SSE function's URL."));
        }
        return new Targets(dashboardUri, normalise(sse, sseName), source, List.of());
    }

    /** True when the SSE URL is only the dashboard URL standing in for it. */
    public boolean sseFallsBackToDashboard() {
        return sseUrl.equals(dashboardUrl);
    }

    /** True when both URLs point at this machine (a local stack), false for anything deployed. */
    public boolean isLoopback() {
        return isLoopbackHost(dashboardUrl.getHost()) && isLoopbackHost(sseUrl.getHost());
    }

    private static boolean isLoopbackHost(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }

    /**
     * Parses and normalises one base URL: trims, requires {@code http}/{@code https} and a host,
     * drops trailing slashes of the path, and refuses a query or fragment (requests add their own).
     *
     * @param name what the value is called in messages (env var or output name)
     * @throws TargetException with a sentence naming {@code name} when the value is unusable
     */
    public static URI normalise(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new TargetException(name + " is empty");
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (java.net.URISyntaxException e) {
            throw new TargetException(name + " is not a URL: \"" + value + "\" (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new TargetException(name + " must be an absolute http(s) URL with a host, got \"" + value + "\"");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new TargetException(name + " must not have a query or fragment, got \"" + value + "\"");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority() + path);
    }
}
