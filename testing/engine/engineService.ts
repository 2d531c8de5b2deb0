/**
 * The Engine service a program logs through and keeps its root (stack) resource in (pulumi/pulumi
 * proto/pulumi/engine.proto; the CLI's side is pkg/resource/deploy/plugins hosted by the engine).
 * Log messages are collected with their severity; StartDebugging and RequirePulumiVersion are not
 * emulated and are refused loudly.
 */
import { Deployment, Severity } from "./deployment";
import { emptyPb, enginePb, engineProto, grpcTypes } from "./grpc";
import { handlersFor } from "./refusals";

type Callback<T> = grpcTypes.sendUnaryData<T>;
type Call<T> = grpcTypes.ServerUnaryCall<T, unknown>;

/** engine.proto LogSeverity: DEBUG = 0, INFO = 1, WARNING = 2, ERROR = 3. */
const SEVERITIES: Severity[] = ["debug", "info", "warning", "error"];

export class EngineService {
  constructor(private readonly deployment: Deployment) {}

  handlers(service: grpcTypes.ServiceDefinition): grpcTypes.UntypedServiceImplementation {
    return handlersFor(this.deployment, "Engine", service, {
      log: this.log.bind(this),
      getRootResource: this.getRootResource.bind(this),
      setRootResource: this.setRootResource.bind(this),
    });
  }

  private log(call: Call<enginePb.LogRequest>, callback: Callback<unknown>): void {
    const req = call.request;
    this.deployment.logs.push({
      severity: SEVERITIES[req.getSeverity()] ?? "error",
      message: req.getMessage(),
      ...(req.getUrn() ? { urn: req.getUrn() } : {}),
      ephemeral: req.getEphemeral(),
    });
    callback(null, new emptyPb.Empty());
  }

  private getRootResource(_call: Call<unknown>, callback: Callback<enginePb.GetRootResourceResponse>): void {
    const res = new engineProto.GetRootResourceResponse();
    res.setUrn(this.deployment.rootResource);
    callback(null, res);
  }

  private setRootResource(call: Call<enginePb.SetRootResourceRequest>, callback: Callback<enginePb.SetRootResourceResponse>): void {
    this.deployment.rootResource = call.request.getUrn();
    callback(null, new engineProto.SetRootResourceResponse());
  }
}
