package dev.pulse.local.lambda;

import java.util.Locale;
import java.util.Set;

/**
 * Who may drive an emulated Function URL: only requests addressed to it on loopback ({@code Host} is
 * {@code 127.0.0.1:<port>} or {@code localhost:<port>}, so a DNS-rebinding page under another name is
 * refused), and, when a browser says where the request comes from ({@code Origin}), only pages of an
 * allowed origin: the URL's own and those its {@link OriginPolicy} allows. Clients that send no {@code Origin}
 * (curl, SDKs, an HTTP test suite) are not browsers driven by some other site, and pass.
 */
public final class RequestGuard {

    private final Set<String> hosts;
    private final Set<String> ownOrigins;
    private final OriginPolicy origins;

    /**
     * @param port    the URL's port
     * @param origins the pages besides its own whose requests it takes
     */
    RequestGuard(int port, OriginPolicy origins) {
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
        this.ownOrigins = Set.of("http://127.0.0.1:" + port, "http://localhost:" + port);
        this.origins = origins;
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
        if (origin != null && !ownOrigins.contains(origin.strip().toLowerCase(Locale.ROOT)) && !origins.allows().test(origin)) {
            return "Origin '" + origin + "' is neither this URL's nor one of its CORS origins"
                    + (origins.refusalHint() == null ? "" : " (" + origins.refusalHint() + ")");
        }
        return null;
    }
}
