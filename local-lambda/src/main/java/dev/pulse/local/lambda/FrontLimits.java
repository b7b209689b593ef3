package dev.pulse.local.lambda;

import java.time.Duration;

/**
 * What one emulated Function URL allows a client before it is refused or cut off, so that no client (a slow
 * one, a hostile one, a web page) can make the emulator hold threads, sockets or memory without bound. The
 * module README lists each beside the Function URL limit it mirrors, or says that AWS documents none.
 *
 * @param maxConnections    open client connections at once; more are answered 503 and closed
 * @param maxHeadBytes      request line plus headers; more → 431
 * @param idleTimeout       a kept-alive connection waiting for its next request is closed after this
 * @param headTimeout       from a request's first byte to the end of its headers; slower → 408, closed (slowloris)
 * @param bodyTimeout       reading the request body; slower → 408, closed
 * @param writeStallTimeout a response write that makes no progress this long (the client stopped reading) → closed
 * @param maxQueuedBytes    streamed bytes waiting for a slow client; more → the client is cut off (the invocation goes on)
 * @param lingerTimeout     after a refusal with an unread body, how long the body is read and dropped so that the
 *                          client sees the answer rather than a reset
 */
public record FrontLimits(int maxConnections, int maxHeadBytes, Duration idleTimeout, Duration headTimeout,
                   Duration bodyTimeout, Duration writeStallTimeout, int maxQueuedBytes, Duration lingerTimeout) {

    public static FrontLimits defaults() {
        return new FrontLimits(256, 16 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 1024 * 1024, Duration.ofSeconds(5));
    }
}
