package dev.pulse.e2e.diagnose;

import java.util.List;

/**
 * Recent error lines of one log group. {@code problem} is set (and {@code lines} empty) when the
 * group could not be read; an unreadable log never fails a diagnosis, it is only reported.
 */
public record LogExcerpt(String logGroup, List<String> lines, String problem) {
    public LogExcerpt {
        lines = List.copyOf(lines);
    }
}
