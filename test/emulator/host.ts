/**
 * The long-lived mono process that evaluates compiled policy expressions (test/support/apim/ExpressionHost.cs).
 * One process per emulator, or one shared by several emulators of one compiled pool that run their requests one
 * after another (the mutation test: starting mono and warming its JIT cost more than most scenarios). The host
 * holds one request's context at a time, so a request claims it for its whole run; commands are answered in order,
 * one JSON line each.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

/** A value crossing the process boundary, typed as the gateway would hold it. */
export type WireValue =
  | { kind: "null" }
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "int" | "long" | "double"; value: number }
  | { kind: "json"; value: unknown }
  | { kind: "jwt"; value: string }
  | { kind: "response"; value: WireResponse };

export interface WireResponse {
  statusCode: number;
  statusReason: string;
  headers: Record<string, string[]>;
  body: string | null;
}

export interface EvalResult {
  ok: boolean;
  kind?: string;
  type?: string | null;
  /** What the gateway renders when a policy needs the value as text. */
  text?: string | null;
  value?: unknown;
  error?: string;
  exceptionType?: string;
  requestBodyConsumed: boolean;
  responseBodyConsumed: boolean;
  traces: string[];
}

export class ExpressionHostProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly ready: Promise<void>;
  private stderr = "";
  private exited = false;
  /** The emulator whose request the host is serving, if any. */
  private claimedBy?: object;

  constructor(readonly assemblyPath: string) {
    this.child = spawn("mono", ["--debug", assemblyPath], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.child.on("exit", () => {
      this.exited = true;
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ ok: false, error: `expression host exited: ${this.stderr}` }));
    });
    const lines = createInterface({ input: this.child.stdout });
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    let first = true;
    lines.on("line", (line) => {
      if (first) {
        first = false;
        markReady();
        return;
      }
      this.waiting.shift()?.(line);
    });
  }

  private async call<T>(command: object | string): Promise<T> {
    await this.ready;
    if (this.exited) throw new Error(`expression host is not running: ${this.stderr}`);
    const answer = new Promise<string>((resolve) => this.waiting.push(resolve));
    this.child.stdin.write((typeof command === "string" ? command : JSON.stringify(command)) + "\n");
    const parsed = JSON.parse(await answer) as T & { ok: boolean; error?: string };
    if (!parsed.ok && (parsed.error ?? "").startsWith("host:")) throw new Error(`expression host: ${parsed.error}`);
    return parsed;
  }

  begin(): Promise<unknown> {
    return this.call({ op: "begin" });
  }

  /**
   * Runs expression `id` against `state` (JSON text of the context state), or against the previous eval's state
   * when `state` is "same" (the host then skips parsing it again).
   */
  eval(id: number, state: string, assign?: string): Promise<EvalResult> {
    const assigned = assign !== undefined ? `,"assign":${JSON.stringify(assign)}` : "";
    return this.call<EvalResult>(state === "same" ? `{"op":"eval","id":${id},"same":true${assigned}}` : `{"op":"eval","id":${id}${assigned},"state":${state}}`);
  }

  set(name: string, value: WireValue): Promise<unknown> {
    return this.call({ op: "set", name, value });
  }

  get(name: string): Promise<EvalResult> {
    return this.call<EvalResult>({ op: "get", name });
  }

  /**
   * Conditions `ids` in order against one state (as for eval), in one round trip, up to the first that is true,
   * fails, is not a bool or consumes a body: that one's result, with `at` its position and the traces of all.
   */
  first(ids: readonly number[], state: string): Promise<EvalResult & { at: number }> {
    const ofState = state === "same" ? `"same":true` : `"state":${state}`;
    return this.call<EvalResult & { at: number }>(`{"op":"first","ids":${JSON.stringify(ids)},${ofState}}`);
  }

  /** The text of several context variables (null for null or unset), in one round trip. */
  async texts(names: readonly string[]): Promise<Record<string, string | null>> {
    if (names.length === 0) return {};
    return (await this.call<{ texts: Record<string, string | null> }>({ op: "texts", names })).texts;
  }

  /**
   * Reserves the host for one request of `owner`. A second request while one runs would mix their context
   * variables, so it fails loudly (give concurrent emulators a host each).
   */
  claim(owner: object): void {
    if (this.claimedBy !== undefined) throw new Error("expression host is serving another request: emulators that run requests concurrently need a host each");
    this.claimedBy = owner;
  }

  release(owner: object): void {
    if (this.claimedBy === owner) this.claimedBy = undefined;
  }

  close(): void {
    if (!this.exited) this.child.stdin.end();
  }
}
