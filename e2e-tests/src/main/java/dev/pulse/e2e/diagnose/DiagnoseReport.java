package dev.pulse.e2e.diagnose;

import java.util.List;

/** Everything {@link Diagnose} found: the checks (which decide {@link #ok()}) and the log excerpts. */
public record DiagnoseReport(List<Check> checks, List<LogExcerpt> logs) {
    public DiagnoseReport {
        checks = List.copyOf(checks);
        logs = List.copyOf(logs);
    }

    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    /** The first check with this name, for tests and callers that care about one finding. */
    public Check check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check named " + name + " in " + checks));
    }

    /** Plain text, one line per check, then each log group's lines. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Check c : checks) {
            sb.append(c.ok() ? "  ok    " : "  FAIL  ").append(c.name()).append(": ").append(c.detail()).append('\n');
        }
        for (LogExcerpt log : logs) {
            sb.append("  log ").append(log.logGroup()).append(": ");
            if (log.problem() != null) {
                sb.append("not read (").append(log.problem()).append(")\n");
            } else if (log.lines().isEmpty()) {
                sb.append("no error lines in the last ").append(Diagnose.LOG_WINDOW.toMinutes()).append(" min\n");
            } else {
                sb.append(log.lines().size()).append(" recent error line(s)\n");
                log.lines().forEach(l -> sb.append("    ").append(l).append('\n'));
            }
        }
        sb.append(ok() ? "diagnose: OK" : "diagnose: " + checks.stream().filter(c -> !c.ok()).count() + " check(s) failed");
        return sb.toString();
    }
}
