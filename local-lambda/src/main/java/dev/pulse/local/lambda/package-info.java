/**
 * A general Lambda emulator, with nothing of Pulse in it: Function URLs with their invoke modes
 * ({@link dev.pulse.local.lambda.FunctionUrlServer}, BUFFERED and RESPONSE_STREAM, payload format 2.0 events built
 * with {@code lambda-runtime}'s {@code FunctionUrlEvent} plus what Lambda's front end adds
 * ({@link dev.pulse.local.lambda.InvocationEvents}), the 6 MB and timeout rules, the guards a local URL needs, with the
 * pages it takes given by whoever runs it ({@link dev.pulse.local.lambda.OriginPolicy})), a Runtime API
 * ({@link dev.pulse.local.lambda.RuntimeApiServer}), execution environments as child processes that take one
 * invocation at a time, or, in Lambda Managed Instances mode, up to {@code AWS_LAMBDA_MAX_CONCURRENCY}
 * ({@link dev.pulse.local.lambda.ExecutionEnvironment}) and a pool per function with its capacity
 * ({@link dev.pulse.local.lambda.Capacity}, {@link dev.pulse.local.lambda.FunctionPool}). {@link dev.pulse.local.lambda.LambdaEmulator}
 * puts them together. Both servers speak HTTP/1.1 through {@code lambda-runtime}'s codec
 * ({@code dev.pulse.lambda.wire}); what they do with a request is theirs. It runs whatever
 * {@link dev.pulse.local.lambda.FunctionSpec} it is given; it imports nothing from {@code dev.pulse.local}, and names
 * neither Pulse's shared code nor its test support nor its settings ({@code LayersTest} checks all three).
 */
package dev.pulse.local.lambda;
