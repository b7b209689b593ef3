package dev.pulse.e2e.diagnose;

import java.time.Instant;
import java.util.List;

/** Where diagnose reads log events: CloudWatch Logs for a deployment, the local stack's files for a local one. */
public interface LogSource {

    /** Events of {@code group} in [from, to) that match {@code pattern}, oldest first, at most {@code limit}. */
    List<LogEvent> events(String group, Instant from, Instant to, FilterPattern pattern, int limit) throws LogsUnreadable;

    /** A group (or file) that cannot be read; never fails a diagnosis, it is reported. */
    final class LogsUnreadable extends Exception {
        public LogsUnreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
