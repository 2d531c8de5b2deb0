import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type {
  AnalyzeRequest,
  AnalyzeResponse,
  AnalyzeStackRequest,
  AnalyzerInfo,
  AnalyzerStackConfigureRequest,
  ConfigureAnalyzerRequest,
  RemediateResponse,
} from "@pulumi/pulumi/proto/analyzer_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { analyzerGrpc, emptyPb, grpc, type grpcTypes } from "./proto";

/** Large enough for a whole stack in one AnalyzeStack call, as the engine configures its analyzer clients. */
const MAX_MESSAGE = 400 * 1024 * 1024;

type Unary<Req, Res> = (request: Req, callback: (error: grpcTypes.ServiceError | null, response: Res) => void) => grpcTypes.ClientUnaryCall;

/** The engine's side of the Analyzer service (pulumi/analyzer.proto), one method per RPC, as promises. */
export class AnalyzerConnection {
  private readonly client: AnalyzerClient;

  constructor(port: number) {
    this.client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE,
      "grpc.max_send_message_length": MAX_MESSAGE,
    });
  }

  private call<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(this.client, request, (error, response) => (error ? reject(error) : resolve(response)));
    });
  }

  /** Resolves to false when the pack does not implement it (older packs), as the proxy tolerates. */
  async configureStack(request: AnalyzerStackConfigureRequest): Promise<boolean> {
    try {
      await this.call(this.client.configureStack, request);
      return true;
    } catch (err) {
      if ((err as grpcTypes.ServiceError).code === grpc.status.UNIMPLEMENTED) return false;
      throw err;
    }
  }

  getPluginInfo(): Promise<PluginInfo> {
    return this.call(this.client.getPluginInfo, new emptyPb.Empty());
  }

  getAnalyzerInfo(): Promise<AnalyzerInfo> {
    return this.call(this.client.getAnalyzerInfo, new emptyPb.Empty());
  }

  configure(request: ConfigureAnalyzerRequest): Promise<Empty> {
    return this.call(this.client.configure, request);
  }

  remediate(request: AnalyzeRequest): Promise<RemediateResponse> {
    return this.call(this.client.remediate, request);
  }

  analyze(request: AnalyzeRequest): Promise<AnalyzeResponse> {
    return this.call(this.client.analyze, request);
  }

  analyzeStack(request: AnalyzeStackRequest): Promise<AnalyzeResponse> {
    return this.call(this.client.analyzeStack, request);
  }

  close(): void {
    this.client.close();
  }
}
