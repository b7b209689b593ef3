package dev.pulse.local.lambda;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The invocations one environment's Runtime API handed to its runtime, so that a response or an error finds the one
 * it answers: by request id, and by invocation id too when the runtime sends it back. An invocation is kept while it
 * runs. Once it has ended only the ids of one that timed out are kept (the last {@value #TIMED_OUT_KEPT}): a response
 * for it is then answered 410 Gone rather than taken for a mistake. What the timeout does to the environment (a kill,
 * or nothing) plays no part here.
 */
final class HandedOutInvocations {

    static final int TIMED_OUT_KEPT = 64;

    /** What a response or an error names. */
    sealed interface Found {

        /** An invocation that has not ended by its timeout (it may have ended otherwise). */
        record InHand(Invocation invocation) implements Found {
        }

        /** An invocation that timed out. */
        record TimedOut() implements Found {
        }

        /** No invocation this environment handed out, or one that ended otherwise. */
        record Unknown() implements Found {
        }
    }

    private record Ids(String requestId, String invocationId) {

        boolean match(String requestId, String invocationId) {
            return this.requestId.equals(requestId) && (invocationId == null || this.invocationId.equals(invocationId));
        }
    }

    private final Map<String, Invocation> running = new HashMap<>();
    private final Deque<Ids> timedOut = new ArrayDeque<>();

    /** Keeps {@code invocation} from now, as it is handed to the runtime, until it ends. */
    void add(Invocation invocation) {
        synchronized (this) {
            running.put(invocation.requestId(), invocation);
        }
        invocation.done().whenComplete((terminal, error) -> ended(invocation));
    }

    /** {@code invocationId}: the one the runtime sent back, or null when it sent none (then the request id decides). */
    synchronized Found find(String requestId, String invocationId) {
        Invocation invocation = running.get(requestId);
        if (invocation != null && new Ids(requestId, invocation.invocationId()).match(requestId, invocationId)) {
            // It may have just timed out, before ended() ran: it asks the invocation itself.
            return invocation.timedOut() ? new Found.TimedOut() : new Found.InHand(invocation);
        }
        for (Ids ids : timedOut) {
            if (ids.match(requestId, invocationId)) {
                return new Found.TimedOut();
            }
        }
        return new Found.Unknown();
    }

    /** In one step, so that a look-up sees the invocation either running or among the timed-out ones. */
    private synchronized void ended(Invocation invocation) {
        running.remove(invocation.requestId(), invocation);
        if (invocation.timedOut()) {
            timedOut.addLast(new Ids(invocation.requestId(), invocation.invocationId()));
            if (timedOut.size() > TIMED_OUT_KEPT) {
                timedOut.removeFirst();
            }
        }
    }
}
