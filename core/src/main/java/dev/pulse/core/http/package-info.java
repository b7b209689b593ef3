/**
 * The HTTP edge both functions share: the request ({@link dev.pulse.core.http.HttpRequest}, read from a Function URL
 * event, with its one query-string parser {@link dev.pulse.core.http.QueryString}), a client's mistake with its 4xx
 * answer ({@link dev.pulse.core.http.ClientError}), the route paths and their normalisation
 * ({@link dev.pulse.core.http.Routes}), CORS ({@link dev.pulse.core.http.Cors}: origins, preflight, answer headers) and
 * the whole-answer record ({@link dev.pulse.core.http.HttpResponse}). Each function keeps only the adapter from the
 * form its runtime hands the event in (the managed runtime's {@code APIGatewayV2HTTPEvent}; the payload bytes of the
 * SSE function's own runtime). Knows nothing of DynamoDB, and of Lambda only the Function URL event's JSON: it
 * imports neither the AWS SDK nor a Lambda library.
 */
package dev.pulse.core.http;
