package dev.pulse.local.lambda;

/**
 * How many invocations a function runs at once, and in how many execution environments.
 *
 * <ul>
 *   <li>On demand ({@link #onDemand}): each environment takes one invocation at a time; environments start when a
 *       request finds none free, up to {@code environments} (the reserved concurrency). A timeout kills the
 *       environment.</li>
 *   <li>Lambda Managed Instances ({@link #managedInstances}): {@code environments} environments start with the
 *       function, before any request (Lambda starts them when the version is published), and each takes up to
 *       {@code perEnvironment} invocations at once: its runtime gets {@code AWS_LAMBDA_MAX_CONCURRENCY}. Lambda
 *       scales them on CPU, not per request, so a request that finds every slot busy is throttled. A timeout is
 *       reported to the caller and the environment goes on; the timed-out invocation keeps its slot until the
 *       runtime answers it (a worker still running it cannot take another).</li>
 * </ul>
 *
 * @param environments     execution environments at most (on demand), or the environments kept running
 * @param perEnvironment   invocations one environment takes at once (1 on demand)
 * @param managedInstances true for Lambda Managed Instances
 */
public record Capacity(int environments, int perEnvironment, boolean managedInstances) {

    /** The documented minimum memory of a Managed Instances function: 2 GB (and 1 vCPU). */
    public static final int MANAGED_INSTANCES_MIN_MEMORY_MB = 2048;

    public Capacity {
        if (environments < 1) {
            throw new IllegalArgumentException("a function needs at least 1 execution environment, not " + environments);
        }
        if (perEnvironment < 1 || (!managedInstances && perEnvironment != 1)) {
            throw new IllegalArgumentException(managedInstances
                    ? "a Managed Instances environment takes at least 1 invocation at once, not " + perEnvironment
                    : "an on-demand environment takes one invocation at a time, not " + perEnvironment);
        }
    }

    public static Capacity onDemand(int environments) {
        return new Capacity(environments, 1, false);
    }

    public static Capacity managedInstances(int environments, int perEnvironment) {
        return new Capacity(environments, perEnvironment, true);
    }

    /** E.g. "concurrency 20" or "Managed Instances: 3 environments x 64". */
    @Override
    public String toString() {
        return managedInstances
                ? "Managed Instances: " + environments + (environments == 1 ? " environment" : " environments")
                        + " x " + perEnvironment
                : "concurrency " + environments;
    }
}
