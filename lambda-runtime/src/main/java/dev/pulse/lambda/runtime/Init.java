package dev.pulse.lambda.runtime;

/**
 * A function's init phase: builds its {@link Handler} once per execution environment, and may register SnapStart
 * {@link Hooks}. What it throws is reported to {@code /runtime/init/error}, and the process exits.
 */
@FunctionalInterface
public interface Init {

    Handler init(Hooks hooks) throws Exception;
}
