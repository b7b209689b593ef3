package dev.pulse.local.lambda;

/**
 * What the Runtime API endpoint of one execution environment asks of that environment. Which invocation a response
 * or an error belongs to the endpoint decides itself, from the invocations it handed out ({@link HandedOutInvocations}).
 */
interface RuntimeApi {

    /**
     * Blocks until an invocation is handed to the runtime; starts its timeout clock ({@link Invocation#handedOut}: its
     * deadline is the {@code Lambda-Runtime-Deadline-Ms} the runtime gets).
     */
    Invocation next() throws InterruptedException;

    /** The runtime could not initialise (POST /runtime/init/error). */
    void initError(String errorType, String body);

    /**
     * SnapStart: the runtime ended its init with {@code GET /runtime/restore/next}, which is answered once the
     * environment is restored. False when that is not this environment's next step (no SnapStart, or init is over).
     */
    boolean restoreNext();

    /**
     * SnapStart: an after-restore hook failed ({@code POST /runtime/restore/error}). False when the environment is not
     * restoring.
     */
    boolean restoreError(String errorType, String body);

    /**
     * The runtime answered (a response or an error, answered 410) an invocation that had timed out: on Managed
     * Instances, where a timeout leaves the invocation to the runtime, its worker is free again.
     */
    void answeredAfterTimeout(String requestId);

    String functionArn();
}
