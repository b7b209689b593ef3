package dev.pulse.e2e.it;

import dev.pulse.e2e.TargetResolver;
import dev.pulse.e2e.Targets;
import dev.pulse.e2e.TerraformCli;
import dev.pulse.e2e.client.ClientAuth;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.local.LocalPulseProcess;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One e2e run: the resolved targets, the auth settings, and — with {@code E2E_TARGET=local} — the
 * local stack started for it. Created once per Failsafe JVM by {@link E2eExtension}, closed when
 * the JUnit engine finishes (and by the stack's shutdown hook should that never happen).
 *
 * <p>API key: when the suite starts the local stack itself it runs it WITH a key, so the 401 paths
 * are exercised: {@code E2E_API_KEY} when set, else a random key for this run. Against any other
 * target, {@code E2E_API_KEY} is the key the deployment was given (absent = writes are open).
 */
public final class E2eRun implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger TAGS = new AtomicInteger();
    /** Distinguishes this run's tags from any other run's writing to the same table. */
    private static final String RUN = randomChars(5);

    private final Map<String, String> env;
    private final Targets targets;
    private final ClientAuth auth;
    private final LocalPulseProcess localStack;

    private E2eRun(Map<String, String> env, Targets targets, ClientAuth auth, LocalPulseProcess localStack) {
        this.env = env;
        this.targets = targets;
        this.auth = auth;
        this.localStack = localStack;
    }

    static E2eRun start(Map<String, String> env) {
        ClientAuth auth = ClientAuth.fromEnvironment(env);
        LocalPulseProcess[] started = new LocalPulseProcess[1];
        String localKey = auth.apiKey() != null ? auth.apiKey() : "e2e-" + HexFormat.of().formatHex(randomBytes());
        TargetResolver resolver = new TargetResolver(new TerraformCli(), e -> {
            started[0] = LocalPulseProcess.start(LocalPulseProcess.Options.fromEnvironment(e).withApiKey(localKey).withEnv(suiteStackEnv(e)));
            return started[0].targets();
        });
        Targets targets = resolver.resolve(env);
        if (started[0] != null) {
            auth = auth.withApiKey(localKey);
        }
        E2eRun run = new E2eRun(env, targets, auth, started[0]);
        System.out.println("[e2e] target: " + targets.source());
        System.out.println("[e2e]   dashboard (BUFFERED):     " + targets.dashboardUrl());
        System.out.println("[e2e]   sse (RESPONSE_STREAM):    " + targets.sseUrl());
        System.out.println("[e2e]   auth: " + auth + "; run tag prefix " + RUN);
        targets.warnings().forEach(w -> System.out.println("[e2e] WARNING: " + w));
        return run;
    }

    /**
     * The suite's own stack settings. A stream whose client has gone keeps its environment busy
     * until the function ends it (as on Lambda), and the suite opens dozens of streams: so streams
     * end after 45 s (the heartbeat test needs 35 s) and 32 environments may run. With 60 s and 16
     * the suite once ran out (a 429 where a test expected its 400); with these it peaked at 12.
     * Environments start only when needed. The suite proves behaviour, not speed, so its stacks run
     * without Lambda's CPU share (`make bench` measures with it). An explicit setting in the
     * environment wins.
     */
    private static Map<String, String> suiteStackEnv(Map<String, String> env) {
        Map<String, String> stack = new HashMap<>();
        stack.put("SSE_MAX_STREAM_SECONDS", env.getOrDefault("SSE_MAX_STREAM_SECONDS", "45"));
        stack.put("PULSE_SSE_CONCURRENCY", env.getOrDefault("PULSE_SSE_CONCURRENCY", "32"));
        stack.put("PULSE_CPU_SHARE", env.getOrDefault("PULSE_CPU_SHARE", "off"));
        return stack;
    }

    private static String randomChars(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    public Targets targets() {
        return targets;
    }

    public ClientAuth auth() {
        return auth;
    }

    /** A fresh client (its own request record) for the run's targets. */
    public PulseClient client() {
        return new PulseClient(targets, auth);
    }

    /** True when the suite started the local stack itself (only then can it start another). */
    public boolean startedLocalPulse() {
        return localStack != null;
    }

    public LocalPulseProcess localPulse() {
        return localStack;
    }

    /**
     * A second local stack with extra settings (e.g. {@code SSE_MAX_STREAM_SECONDS=3}), same key;
     * the caller closes it.
     */
    public LocalPulseProcess startAnotherLocalPulse(Map<String, String> extraEnv) throws IOException {
        Map<String, String> stackEnv = new HashMap<>(Map.of("PULSE_CPU_SHARE", env.getOrDefault("PULSE_CPU_SHARE", "off")));
        stackEnv.putAll(extraEnv);
        return LocalPulseProcess.start(LocalPulseProcess.Options.fromEnvironment(env).withApiKey(auth.apiKey()).withEnv(stackEnv));
    }

    /** A tag nobody else writes: {@code E2E} + run id + counter, within the 16-char tag rule. */
    public static String uniqueTag() {
        return "E2E" + RUN + "-" + TAGS.incrementAndGet();
    }

    @Override
    public void close() {
        if (localStack != null) {
            localStack.close();
        }
    }
}
