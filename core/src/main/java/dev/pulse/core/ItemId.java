package dev.pulse.core;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Item ids: 13-digit epoch millis, a dash, then 6 lowercase hex digits, e.g.
 * {@code 1764000000000-00a3f1}. Plain string order is arrival order: within one generator the
 * suffix counts up, and each generator starts from a random point so two execution environments
 * writing in the same millisecond still produce distinct ids.
 */
public final class ItemId {

    private static final Pattern ID = Pattern.compile("\\d{13}-[0-9a-f]{6}");

    private ItemId() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Epoch millis encoded in a valid id. */
    public static long millisOf(String id) {
        return Long.parseLong(id, 0, 13, 10);
    }

    /** The smallest possible id at or after {@code millis}: a query bound, never an item's id. */
    public static String lowerBound(long millis) {
        return String.format("%013d-", Math.max(0, millis));
    }

    /** Thread-safe, monotonic id source. */
    public static final class Generator {
        private static final int SUFFIX_SPACE = 1 << 24;
        private final Clock clock;
        private final SecureRandom random = new SecureRandom();
        private long lastMillis = -1;
        private int counter;

        public Generator() {
            this(Clock.systemUTC());
        }

        public Generator(Clock clock) {
            this.clock = clock;
        }

        public synchronized String next() {
            long now = Math.max(clock.millis(), lastMillis);
            if (now != lastMillis) {
                lastMillis = now;
                // Room to count up from: a random start in the lower half of the suffix space.
                counter = random.nextInt(SUFFIX_SPACE / 2);
            } else if (++counter >= SUFFIX_SPACE) {
                lastMillis = now + 1;   // suffix space used up: borrow the next millisecond
                counter = 0;
                now = lastMillis;
            }
            return String.format("%013d-%06x", now, counter);
        }
    }
}
