/**
 * The gRPC runtime and generated protos the stand-in serves with: the very copies `@pulumi/pulumi`
 * loads (resolved from its own location), so messages built here are the classes its services expect.
 * @pulumi/pulumi ships the generated code as proto/*_pb.js and proto/*_grpc_pb.js.
 */
import { createRequire } from "module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import type * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));

export const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcTypes;
export const structPb = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
export const emptyPb = fromPulumi("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;
export const resourceProto = fromPulumi("./proto/resource_pb") as typeof resourcePb;
export const engineProto = fromPulumi("./proto/engine_pb") as typeof enginePb;
export const providerProto = fromPulumi("./proto/provider_pb") as typeof providerPb;

interface ServiceModule {
  ResourceMonitorService?: grpcTypes.ServiceDefinition;
  EngineService?: grpcTypes.ServiceDefinition;
}
export const resourceGrpc = fromPulumi("./proto/resource_grpc_pb") as ServiceModule;
export const engineGrpc = fromPulumi("./proto/engine_grpc_pb") as ServiceModule;

export type { grpcTypes, resourcePb, enginePb, providerPb, structTypes };
