package dev.pulse.e2e.diagnose;

import java.util.List;

/**
 * Everything {@link Diagnose} found: the checks (which decide {@link #ok()}), the summary of both log groups, and
 * the CloudWatch dashboard's console link (null without a {@code cloudwatch_dashboard_name} output).
 */
public record DiagnoseReport(List<Check> checks, LogSummary logs, String dashboardLink) {
    public DiagnoseReport {
        checks = List.copyOf(checks);
    }

    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    /** The first check with this name, for tests and callers that care about one finding. */
    public Check check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check named " + name + " in " + checks));
    }

    /** Plain text: one line per check, the log summary, the dashboard link, the verdict. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Check c : checks) {
            sb.append(c.ok() ? "  ok    " : "  FAIL  ").append(c.name()).append(": ").append(c.detail()).append('\n');
        }
        sb.append(logs.render("  "));
        sb.append("  CloudWatch dashboard: ").append(dashboardLink == null
                ? "none in the outputs (no cloudwatch_dashboard_name: deployed before there was one?)"
                : dashboardLink).append('\n');
        sb.append(ok() ? "diagnose: OK" : "diagnose: " + checks.stream().filter(c -> !c.ok()).count() + " check(s) failed");
        return sb.toString();
    }
}
