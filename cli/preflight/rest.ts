import type { TokenCredential } from "@azure/identity";

/**
 * Plain ARM and Microsoft Graph REST calls with a bearer token from any `TokenCredential`. No
 * management SDKs: preflight reads a handful of documented endpoints, and plain `fetch` keeps the
 * endpoints overridable (another cloud, or the local fake the tests run against).
 */

/** Where preflight sends its calls. The defaults are Azure's public cloud. */
export interface AzureEndpoints {
  /** @default "https://management.azure.com" */
  readonly arm: string;
  /** @default "https://graph.microsoft.com" */
  readonly graph: string;
  /** Entra sign-in host for the credential. @default "https://login.microsoftonline.com" */
  readonly authorityHost: string;
}

export const PublicCloud: AzureEndpoints = {
  arm: "https://management.azure.com",
  graph: "https://graph.microsoft.com",
  authorityHost: "https://login.microsoftonline.com",
};

/**
 * An endpoint must be https, except on the loopback interface (the tests' fake): a bearer token is
 * never sent in clear text over a network.
 */
export function endpointProblem(name: string, value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name} "${value}" is not a URL`;
  }
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    return `${name} "${value}" must use https (plain http only on 127.0.0.1, for a local fake)`;
  }
  return undefined;
}

export interface RestResponse {
  readonly status: number;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  readonly body: unknown;
}

/** ARM's error envelope: `{ error: { code, message } }`. */
export function armErrorCode(response: RestResponse): string | undefined {
  const body = response.body as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === "string" ? body.error.code : undefined;
}

export function armErrorMessage(response: RestResponse): string {
  const body = response.body as { error?: { code?: unknown; message?: unknown } } | undefined;
  const code = typeof body?.error?.code === "string" ? body.error.code : `HTTP ${response.status}`;
  const message = typeof body?.error?.message === "string" ? `: ${body.error.message}` : "";
  return `${code}${message}`;
}

/** A call that did not answer at all (network, DNS, TLS): the check it belongs to cannot run. */
export class RestError extends Error {}

export class AzureRest {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    private readonly credential: TokenCredential,
    readonly endpoints: AzureEndpoints,
  ) {}

  /** The `.default` scope of a resource's origin: `https://management.azure.com/.default`. */
  private static scopeOf(base: string): string {
    return `${new URL(base).origin}/.default`;
  }

  /** The raw access token for ARM or Graph (cached for the run; a run lasts seconds). */
  token(api: "arm" | "graph"): Promise<string> {
    const scope = AzureRest.scopeOf(this.endpoints[api]);
    let token = this.tokens.get(scope);
    if (!token) {
      token = this.credential.getToken(scope).then((t) => {
        if (!t) throw new Error(`the credential returned no token for ${scope}`);
        return t.token;
      });
      this.tokens.set(scope, token);
    }
    return token;
  }

  /** `method` on `${arm}${path}?api-version=...`. */
  arm(method: "GET" | "POST", path: string, apiVersion: string, body?: unknown): Promise<RestResponse> {
    const sep = path.includes("?") ? "&" : "?";
    return this.send("arm", method, `${this.endpoints.arm}${path}${sep}api-version=${apiVersion}`, body);
  }

  /** GET `${graph}/v1.0${path}`. */
  graph(path: string): Promise<RestResponse> {
    return this.send("graph", "GET", `${this.endpoints.graph}/v1.0${path}`);
  }

  private async send(api: "arm" | "graph", method: string, url: string, body?: unknown): Promise<RestResponse> {
    const token = await this.token(api);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new RestError(`${method} ${new URL(url).pathname}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  }
}
