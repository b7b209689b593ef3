/**
 * The AWS API emulators Pulse launches as child processes: moto's DynamoDB ({@link dev.pulse.emulators.DynamoDbEmulator})
 * for the local stack ({@code make run}) and the tests, and {@code moto_server} ({@link dev.pulse.emulators.MotoServer})
 * for the infra tier, both started, awaited and stopped by {@link dev.pulse.emulators.ChildServer}. The JDK only.
 */
package dev.pulse.emulators;
