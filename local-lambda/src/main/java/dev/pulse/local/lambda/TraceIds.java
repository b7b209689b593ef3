package dev.pulse.local.lambda;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** X-Ray-shaped trace ids, so that code reading them finds the format it expects. */
final class TraceIds {

    private TraceIds() {
    }

    /** {@code Root=1-<8 hex epoch seconds>-<24 hex>}, as in x-amzn-trace-id. */
    static String root() {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + HexFormat.of().formatHex(random);
    }

    static String lambdaTraceHeader() {
        byte[] parent = new byte[8];
        ThreadLocalRandom.current().nextBytes(parent);
        return root() + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0";
    }
}
