package dev.pulse.local.lambda;

import dev.pulse.core.http.Cors;

import java.util.Locale;
import java.util.Set;

/**
 * Who may drive an emulated Function URL: only requests addressed to it on loopback ({@code Host} is
 * {@code 127.0.0.1:<port>} or {@code localhost:<port>}, so a DNS-rebinding page under another name is
 * refused), and, when a browser says where the request comes from ({@code Origin}), only pages of an
 * allowed origin: the URL's own and those of its CORS configuration. Clients that send no {@code Origin}
 * (curl, SDKs, the e2e suite) are not browsers driven by some other site, and pass.
 */
public final class RequestGuard {

    private final Set<String> hosts;
    private final Set<String> ownOrigins;
    private final Cors allowed;

    /**
     * @param port           the URL's port
     * @param allowedOrigins the URL's CORS origins (comma-separated, {@code *} = any), or null for none besides its own
     */
    RequestGuard(int port, String allowedOrigins) {
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
        this.ownOrigins = Set.of("http://127.0.0.1:" + port, "http://localhost:" + port);
        this.allowed = Cors.parse(allowedOrigins, "", null);   // only its origin rule is used here
    }

    /** Both spellings of an emulated URL's origin, comma-separated: the default CORS of a page served there. */
    public static String ownOrigins(int port) {
        return "http://127.0.0.1:" + port + ",http://localhost:" + port;
    }

    /** Null when the request may go on, else why it is refused (for the log). */
    String refusal(String host, String origin) {
        if (host == null || !hosts.contains(host.strip().toLowerCase(Locale.ROOT))) {
            return "Host " + (host == null ? "(none)" : "'" + host + "'") + " is not this URL's " + String.join(" or ", hosts)
                    + ": refused, so no page under another name that resolves to loopback can drive it (DNS rebinding)";
        }
        if (origin != null && !ownOrigins.contains(origin.strip().toLowerCase(Locale.ROOT)) && !allowed.allows(origin)) {
            return "Origin '" + origin + "' is neither this URL's nor one of its CORS origins"
                    + " (set PULSE_CORS_ALLOWED_ORIGINS to allow another page)";
        }
        return null;
    }
}
