/**
 * The engine stand-in: a ResourceMonitor and an Engine gRPC server on loopback ports, as the Pulumi
 * CLI starts them for a program run (the real engine serves the monitor from source_eval.go and the
 * engine service from its plugin host). One stand-in serves one program run.
 */
import { Deployment, DeploymentOptions } from "./deployment";
import { EngineService } from "./engineService";
import { engineGrpc, grpc, grpcTypes, resourceGrpc } from "./grpc";
import { ResourceMonitor } from "./monitor";

export interface StandIn {
  /** `127.0.0.1:<port>`, what the CLI passes as `--monitor` (through the language host's proxy). */
  readonly monitorAddress: string;
  /** `127.0.0.1:<port>`, what the CLI passes as `--engine`. */
  readonly engineAddress: string;
  readonly deployment: Deployment;
  stop(): Promise<void>;
}

function listen(server: grpcTypes.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(`127.0.0.1:${port}`)));
  });
}

function serviceOf(module: { ResourceMonitorService?: grpcTypes.ServiceDefinition; EngineService?: grpcTypes.ServiceDefinition }, name: "ResourceMonitorService" | "EngineService") {
  const service = module[name];
  if (!service) throw new Error(`@pulumi/pulumi's generated protos have no ${name}`);
  return service;
}

/** Starts the monitor and engine services for one run of `options.project`/`options.stack`. */
export async function startStandIn(options: DeploymentOptions): Promise<StandIn> {
  const deployment = new Deployment(options);
  const limits = { "grpc.max_receive_message_length": 400 * 1024 * 1024 };
  const monitorServer = new grpc.Server(limits);
  const monitorService = serviceOf(resourceGrpc, "ResourceMonitorService");
  monitorServer.addService(monitorService, new ResourceMonitor(deployment).handlers(monitorService));
  const engineServer = new grpc.Server(limits);
  const engineService = serviceOf(engineGrpc, "EngineService");
  engineServer.addService(engineService, new EngineService(deployment).handlers(engineService));
  const [monitorAddress, engineAddress] = await Promise.all([listen(monitorServer), listen(engineServer)]);
  const stopOne = (server: grpcTypes.Server) => new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  return {
    monitorAddress,
    engineAddress,
    deployment,
    stop: async () => {
      await Promise.all([stopOne(monitorServer), stopOne(engineServer)]);
    },
  };
}
