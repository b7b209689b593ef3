package dev.pulse.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The execution environments of a local stack, seen from outside (Linux {@code /proc}): each is a
 * child process of the stack's JVM, recognised by its command line (the SSE function's own runtime
 * main, or the official runtime interface client for the dashboard).
 */
final class Environments {
    private static final Pattern READY = Pattern.compile("^\\[(sse|dashboard)] env \\d+: ready \\(init (\\d+) ms",
            Pattern.MULTILINE);
    private static final Pattern UNAVAILABLE = Pattern.compile("503 store unavailable on [A-Z]+ \\S+: (.*)$",
            Pattern.MULTILINE);

    enum Function { SSE, DASHBOARD, DYNAMODB }

    record Env(Function function, long pid, double rssMb) {
    }

    private Environments() {
    }

    static List<Env> list(long stackPid) {
        List<Env> envs = new ArrayList<>();
        ProcessHandle.of(stackPid).ifPresent(stack -> stack.descendants().forEach(p -> {
            String cmd = p.info().commandLine().orElse("");
            Function f = cmd.contains("dev.pulse.sse.SseRuntimeMain") ? Function.SSE
                    : cmd.contains("com.amazonaws.services.lambda.runtime.api.client.AWSLambda") ? Function.DASHBOARD
                    : cmd.contains("dynamodb-emulator") ? Function.DYNAMODB
                    : null;
            if (f != null) {
                envs.add(new Env(f, p.pid(), rssMb(p.pid())));
            }
        }));
        return envs;
    }

    static long count(long stackPid, Function f) {
        return list(stackPid).stream().filter(e -> e.function() == f).count();
    }

    static List<Double> rss(long stackPid, Function f) {
        return list(stackPid).stream().filter(e -> e.function() == f && e.rssMb() > 0).map(Env::rssMb).toList();
    }

    /**
     * CPU seconds (user + system) used so far by every process of this kind, from /proc/pid/stat
     * (clock ticks of 1/100 s, the Linux default USER_HZ). Sampled before and after a phase, the
     * difference over the wall time is how many cores it kept busy.
     */
    static double cpuSeconds(long stackPid, Function f) {
        double total = 0;
        for (Env e : list(stackPid)) {
            if (e.function() != f) {
                continue;
            }
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(e.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime
            } catch (IOException | RuntimeException gone) {
                // exited meanwhile
            }
        }
        return total;
    }

    /** VmRSS from /proc/pid/status, in MiB; 0 if the process is gone. */
    static double rssMb(long pid) {
        return statusMb(pid, "VmRSS:");
    }

    /** VmHWM (the peak VmRSS of the process's life so far) from /proc/pid/status, in MiB; 0 if it is gone. */
    static double hwmMb(long pid) {
        return statusMb(pid, "VmHWM:");
    }

    private static double statusMb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // exited between listing and reading
        }
        return 0;
    }

    /**
     * Start-to-first-{@code /next} of every environment the stack started: its "ready (init N ms)"
     * log lines (process start until the runtime's first {@code invocation/next} was answered).
     */
    static List<Double> initMillis(long stackPid, Function f) {
        List<Double> out = new ArrayList<>();
        Matcher m = READY.matcher(log(stackPid));
        while (m.find()) {
            if (m.group(1).equals(f == Function.SSE ? "sse" : "dashboard")) {
                out.add(Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    /**
     * Why the dashboard answered 503 so far: the text after "503 store unavailable on ...: " in the stack's
     * log, with numbers blanked so that one cause is one key, and how often.
     */
    static Map<String, Integer> storeUnavailableCauses(long stackPid) {
        Map<String, Integer> causes = new TreeMap<>();
        Matcher m = UNAVAILABLE.matcher(log(stackPid));
        while (m.find()) {
            causes.merge(m.group(1).replaceAll("\\d+", "N"), 1, Integer::sum);
        }
        return causes;
    }

    /** The stack's output so far; it goes to a file (see {@code LocalStack}), which /proc/<pid>/fd/1 reopens. */
    private static String log(long stackPid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(stackPid), "fd", "1")),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";   // no log readable: the figures from it are reported as missing
        }
    }
}
