package dev.pulse.local.lambda;

import java.util.function.Predicate;

/**
 * Which browser pages, besides a URL's own, may drive an emulated Function URL (those its CORS configuration allows),
 * and what a refusal of any other page tells the person running the emulator about how to allow it. Whoever runs the
 * emulator decides both: the rule for reading a CORS setting, and the setting's name, are theirs.
 *
 * @param allows      true for an {@code Origin} the URL takes requests from
 * @param refusalHint how to allow another page, added to the refusal (null: nothing to add)
 */
public record OriginPolicy(Predicate<String> allows, String refusalHint) {

    public OriginPolicy {
        if (allows == null) {
            throw new IllegalArgumentException("an origin policy needs its rule");
        }
    }

    /** No page but the URL's own. */
    public static OriginPolicy ownOnly() {
        return new OriginPolicy(origin -> false, null);
    }
}
