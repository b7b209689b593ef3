package dev.pulse.dashboard;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Runs the shaded jar the way the managed Java runtime does, in a child JVM started by
 * {@link ShadedJarIT}: the jar in its own class loader (nothing from the test classpath), the handler
 * built with its no-arg constructor from the environment, and events and responses converted by
 * {@link LambdaEventSerializers} for the jar's own event classes. Reads one event JSON per stdin
 * line, writes one response JSON per stdout line.
 */
public final class IsolatedHandlerMain {

    private IsolatedHandlerMain() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        URL jar = Path.of(args[0]).toUri().toURL();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);   // anything the handler prints must not corrupt the protocol
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar}, ClassLoader.getPlatformClassLoader())) {
            Class<?> handlerClass = loader.loadClass("dev.pulse.dashboard.DashboardHandler");
            Class<?> eventClass = loader.loadClass("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
            Class<?> responseClass = loader.loadClass("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse");
            Class<?> contextClass = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
            Class<?> loggerClass = loader.loadClass("com.amazonaws.services.lambda.runtime.LambdaLogger");
            Object handler = handlerClass.getConstructor().newInstance();
            Method handle = handlerClass.getMethod("handleRequest", eventClass, contextClass);
            PojoSerializer events = LambdaEventSerializers.serializerFor(eventClass, loader);
            PojoSerializer responses = LambdaEventSerializers.serializerFor(responseClass, loader);
            Object logger = Proxy.newProxyInstance(loader, new Class<?>[]{loggerClass}, (proxy, method, a) -> {
                if (method.getName().equals("log") && a != null && a.length == 1) {
                    System.err.print(a[0] instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : a[0]);
                }
                return null;
            });
            InvocationHandler context = (proxy, method, a) -> switch (method.getName()) {
                case "getAwsRequestId" -> UUID.randomUUID().toString();
                case "getLogger" -> logger;
                case "getRemainingTimeInMillis" -> 30_000;
                case "getMemoryLimitInMB" -> 512;
                case "toString" -> "isolated-context";
                default -> null;
            };
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Object event = events.fromJson(line);
                Object response = handle.invoke(handler, event,
                        Proxy.newProxyInstance(loader, new Class<?>[]{contextClass}, context));
                ByteArrayOutputStream json = new ByteArrayOutputStream();
                responses.toJson(response, json);
                out.println(json.toString(StandardCharsets.UTF_8).replace("\n", ""));
            }
        }
    }
}
