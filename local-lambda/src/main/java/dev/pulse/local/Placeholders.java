package dev.pulse.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of a function's configuration that AWS (or the deployer's secrets) decide, which the local
 * description holds as placeholders and the local stack fills in with its own: {@code ${table_name}},
 * {@code ${function_url:<function>}}, {@code ${api_key_sha256}}, {@code ${cors_allowed_origins}}.
 *
 * <p>The description is planned with markers for the inputs the local stack replaces (a write key's digest,
 * the CORS origins) and a marker standing in for each Function URL, which AWS assigns at creation; a planned
 * value equal to a marker, or to the table's name, becomes its placeholder.
 */
final class Placeholders {

    static final String TABLE_NAME = "${table_name}";
    static final String API_KEY_SHA256 = "${api_key_sha256}";
    static final String CORS_ALLOWED_ORIGINS = "${cors_allowed_origins}";

    /** Planned as the only write-key digest: no real key hashes to it. */
    static final String DIGEST_MARKER = "0".repeat(64);
    /** Planned as the only CORS origin (.invalid is reserved: no real page has it). */
    static final String CORS_MARKER = "https://cors-allowed-origins.invalid";
    /** What a function's Function URL output is in the planned copy: the function's name in a reserved domain. */
    private static final Pattern URL_MARKER = Pattern.compile("https://(.+)\\.function-url\\.invalid/");
    private static final Pattern FUNCTION_URL = Pattern.compile("\\$\\{function_url:([a-z0-9_-]+)}");

    /** What each placeholder stands for, written into the description for its readers. */
    static final Map<String, String> LEGEND = legend();

    private Placeholders() {
    }

    private static Map<String, String> legend() {
        Map<String, String> legend = new LinkedHashMap<>();
        legend.put(TABLE_NAME, "the table's name on AWS; locally PULSE_TABLE (default pulse-local)");
        legend.put("${function_url:<function>}", "that function's Function URL, assigned by AWS; locally its emulated URL");
        legend.put(API_KEY_SHA256, "the write key's SHA-256 digest(s); locally the digest of PULSE_API_KEY, empty without one");
        legend.put(CORS_ALLOWED_ORIGINS, "the CORS origins of the deployment; locally PULSE_CORS_ALLOWED_ORIGINS, "
                + "default the dashboard's own origin");
        return Map.copyOf(legend);
    }

    /** The marker a planned copy gives a function's URL (its module's function_url output), as an HCL string. */
    static String urlMarkerExpression(String functionNameExpression) {
        return "https://${" + functionNameExpression + "}.function-url.invalid/";
    }

    /**
     * A planned value as the description holds it.
     *
     * @param functionKeys function name → key in the description, to name a Function URL's function
     * @param tableNames   the planned tables' names
     */
    static String fromPlanned(String value, Map<String, String> functionKeys, Set<String> tableNames) {
        if (value.equals(DIGEST_MARKER)) {
            return API_KEY_SHA256;
        }
        if (value.equals(CORS_MARKER)) {
            return CORS_ALLOWED_ORIGINS;
        }
        if (tableNames.contains(value)) {
            return TABLE_NAME;
        }
        Matcher url = URL_MARKER.matcher(value);
        if (url.matches()) {
            String key = functionKeys.get(url.group(1));
            if (key == null) {
                throw new IllegalArgumentException("the Function URL of " + url.group(1) + ", a function the plan does not have");
            }
            return functionUrl(key);
        }
        if (value.contains("${")) {
            throw new IllegalArgumentException("planned value '" + value + "' would read as a placeholder");
        }
        return value;
    }

    static String functionUrl(String functionKey) {
        return "${function_url:" + functionKey + "}";
    }

    /**
     * Replaces the placeholders in a description value with the local stack's values.
     *
     * @param local the value of each placeholder ({@code ${function_url:sse}} etc. spelled out)
     * @throws IllegalArgumentException for a placeholder the local stack has no value for
     */
    static String fill(String value, Map<String, String> local) {
        if (!value.contains("${")) {
            return value;
        }
        String filled = local.get(value);
        if (filled == null) {
            Matcher url = FUNCTION_URL.matcher(value);
            throw new IllegalArgumentException(url.matches()
                    ? "no local function " + url.group(1) + " for " + value
                    : "the local stack has no value for " + value);
        }
        return filled;
    }
}
