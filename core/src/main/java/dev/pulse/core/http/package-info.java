/**
 * The HTTP edge both functions share: the route paths and their normalisation ({@link dev.pulse.core.http.Routes}),
 * CORS ({@link dev.pulse.core.http.Cors}: origins, preflight, answer headers) and the whole-answer record
 * ({@link dev.pulse.core.http.HttpResponse}). Each function keeps its own request adapter, because the two
 * receive the Function URL event in different forms (an {@code APIGatewayV2HTTPEvent} from the managed runtime;
 * a JSON tree from the SSE function's own runtime). Knows nothing of DynamoDB or Lambda.
 */
package dev.pulse.core.http;
