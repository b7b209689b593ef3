package dev.pulse.e2e.diagnose;

/** The console address of a CloudWatch dashboard, built from its region (the console's host differs by partition). */
public final class DashboardLink {

    private DashboardLink() {
    }

    public static String of(String region, String dashboard) {
        String host = region.startsWith("cn-") ? "console.amazonaws.cn"
                : region.startsWith("us-gov-") ? "console.amazonaws-us-gov.com" : "console.aws.amazon.com";
        return "https://" + region + "." + host + "/cloudwatch/home?region=" + region + "#dashboards/dashboard/" + dashboard;
    }
}
