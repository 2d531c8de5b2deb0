/**
 * The gRPC runtime and the generated Analyzer protos, loaded from @pulumi/pulumi's own location so messages
 * built here are the classes its services (and @pulumi/policy's server) expect, and no package is used that
 * the project does not declare. @pulumi/pulumi ships the generated code as proto/*_pb.js and *_grpc_pb.js.
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as analyzerGrpcTypes from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerTypes from "@pulumi/pulumi/proto/analyzer_pb";

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));

export const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcTypes;
export const emptyPb = fromPulumi("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;
export const structPb = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
export const analyzerPb = fromPulumi("./proto/analyzer_pb") as typeof analyzerTypes;
export const analyzerGrpc = fromPulumi("./proto/analyzer_grpc_pb") as typeof analyzerGrpcTypes;

export type { grpcTypes, analyzerTypes, structTypes };
