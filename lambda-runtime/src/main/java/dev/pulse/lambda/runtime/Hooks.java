package dev.pulse.lambda.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * SnapStart's two moments: before Lambda snapshots an initialised environment, and after it restores one. A
 * function registers what it must close before the snapshot (connections) and reopen or refresh after a restore
 * (connections, credentials, anything time-bound or meant to be unique). Before-checkpoint hooks run in reverse
 * order of registration, after-restore hooks in order, as {@code org.crac} runs its resources. The runtime calls them
 * only when {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}.
 */
public final class Hooks {

    /** One hook; what it throws fails the snapshot or the restore. */
    @FunctionalInterface
    public interface Hook {
        void run() throws Exception;
    }

    private final List<Hook> beforeCheckpoint = new ArrayList<>();
    private final List<Hook> afterRestore = new ArrayList<>();

    public synchronized Hooks beforeCheckpoint(Hook hook) {
        beforeCheckpoint.add(hook);
        return this;
    }

    public synchronized Hooks afterRestore(Hook hook) {
        afterRestore.add(hook);
        return this;
    }

    synchronized void runBeforeCheckpoint() throws Exception {
        for (Hook hook : beforeCheckpoint.reversed()) {
            hook.run();
        }
    }

    synchronized void runAfterRestore() throws Exception {
        for (Hook hook : afterRestore) {
            hook.run();
        }
    }
}
