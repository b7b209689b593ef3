/**
 * Pulse on the local Lambda emulator ({@code dev.pulse.local.lambda}): the function description Terraform
 * plans ({@link dev.pulse.local.LocalFunctions}, read from {@code terraform/local-functions.json} and refreshed
 * from {@code terraform/} when it changed), how the managed {@code java21} runtime starts each function from
 * its artifact ({@link dev.pulse.local.ManagedRuntime}, {@link dev.pulse.local.Artifacts}), the DynamoDB table,
 * and the stack as a whole ({@link dev.pulse.local.LocalPulse}, started by {@link dev.pulse.local.LocalPulseMain}
 * for {@code make run}). It knows artifacts and their description, never handler classes.
 */
package dev.pulse.local;
