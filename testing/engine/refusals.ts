/**
 * Loud failure for whatever the stand-in does not emulate: the request fails with a gRPC error
 * and the deployment records it, so a run that needed it never passes on a guess.
 */
import type { Deployment } from "./deployment";
import { grpc, grpcTypes } from "./grpc";

type Callback = grpcTypes.sendUnaryData<never>;

/** Fails one request with `message` (UNIMPLEMENTED unless another gRPC status fits better). */
export function refuse(deployment: Deployment, callback: Callback, message: string, code: grpcTypes.status = grpc.status.UNIMPLEMENTED): void {
  callback({ code, details: deployment.fail(message), name: "Refusal", message });
}

/** A handler for every method of `service`: the emulated ones, and a refusal naming the method for the rest. */
export function handlersFor(
  deployment: Deployment,
  serviceName: string,
  service: grpcTypes.ServiceDefinition,
  emulated: grpcTypes.UntypedServiceImplementation,
): grpcTypes.UntypedServiceImplementation {
  const all: grpcTypes.UntypedServiceImplementation = {};
  for (const method of Object.keys(service)) {
    all[method] =
      emulated[method] ??
      ((_call: unknown, callback: Callback) => refuse(deployment, callback, `${serviceName}.${method} is not emulated by the engine stand-in`));
  }
  return all;
}
