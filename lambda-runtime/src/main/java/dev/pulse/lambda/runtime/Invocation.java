package dev.pulse.lambda.runtime;

/** One invocation from {@code GET /runtime/invocation/next}: its context and its event. */
record Invocation(Context context, byte[] event) {
}
