package dev.pulse.local.lambda;

import dev.pulse.emulators.CpuShares;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One emulated function: how to start an execution environment and how its URL behaves.
 *
 * @param name         function name (AWS_LAMBDA_FUNCTION_NAME)
 * @param logPrefix    prefix of its console lines, e.g. {@code [orders]}
 * @param mode         the Function URL's invoke mode
 * @param capacity     its execution environments and the invocations each takes at once ({@link Capacity})
 * @param timeout      function timeout, counted from the moment the runtime takes the invocation
 * @param initTimeout  how long a new environment may take to ask for its first invocation
 * @param command      the child process command line (the runtime), run in {@code taskRoot}
 * @param taskRoot     the extracted deployment package (LAMBDA_TASK_ROOT, working directory)
 * @param env          environment variables of the child, besides AWS_LAMBDA_RUNTIME_API
 * @param vcpus        an environment's CPU share during invocations, in vCPUs ({@link CpuShares}); 0 = the machine's
 * @param snapStart    its environments start as SnapStart restores them: {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start},
 *                     and init ends with the runtime's {@code GET /runtime/restore/next} (answered at once: nothing
 *                     is snapshotted here, the same process goes on as if restored)
 */
public record FunctionSpec(String name, String logPrefix, InvokeMode mode, Capacity capacity, Duration timeout,
                           Duration initTimeout, List<String> command, Path taskRoot, Map<String, String> env,
                           double vcpus, boolean snapStart) {

    public FunctionSpec {
        if (capacity == null) {
            throw new IllegalArgumentException(name + " needs a capacity");
        }
        if (snapStart && capacity.managedInstances()) {
            // Managed Instances start their environments ahead of requests; their Runtime API has no restore phase.
            throw new IllegalArgumentException(name + ": SnapStart or Lambda Managed Instances, not both");
        }
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /** An on-demand function with {@code concurrency} environments at most (its reserved concurrency), CPU unlimited. */
    public FunctionSpec(String name, String logPrefix, InvokeMode mode, int concurrency, Duration timeout,
                        Duration initTimeout, List<String> command, Path taskRoot, Map<String, String> env) {
        this(name, logPrefix, mode, Capacity.onDemand(concurrency), timeout, initTimeout, command, taskRoot, env, 0, false);
    }

    /** The same function behind a URL with another invoke mode (and name), e.g. to reproduce a misconfiguration. */
    public FunctionSpec withMode(String otherName, InvokeMode otherMode) {
        return new FunctionSpec(otherName, logPrefix, otherMode, capacity, timeout, initTimeout, command, taskRoot, env, vcpus,
                snapStart);
    }

    /** The same function with another capacity. */
    public FunctionSpec withCapacity(Capacity otherCapacity) {
        return new FunctionSpec(name, logPrefix, mode, otherCapacity, timeout, initTimeout, command, taskRoot, env, vcpus,
                snapStart);
    }

    /** The same function started as SnapStart restores it ({@code true}) or on demand. */
    public FunctionSpec withSnapStart(boolean otherSnapStart) {
        return new FunctionSpec(name, logPrefix, mode, capacity, timeout, initTimeout, command, taskRoot, env, vcpus,
                otherSnapStart);
    }
}
