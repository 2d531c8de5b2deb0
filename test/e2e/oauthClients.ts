/**
 * MCP clients as users run them, built on the official SDK: its Client and Streamable HTTP transport, and
 * OAuth client providers configured the way each real client is (see docs/clients.md):
 *
 * - `publicClient`: an interactive public client with a registered (or pre-authorized) client id, PKCE, a
 *   loopback redirect. `sendResource: false` omits the RFC 8707 `resource` parameter (VS Code's Microsoft
 *   sign-in, mcp-remote `--disable-resource-parameter`); `true` is the SDK default.
 * - `daemonClient`: client credentials with a secret, requesting `<application ID URI>/.default` as Entra
 *   requires for app-only tokens (what `@azure/identity` requests too).
 *
 * The "browser" step follows the authorization URL with the signed-in user and reads the code (or the
 * error) from the redirect, as a loopback listener would.
 */
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { Fetch } from "./network";

export interface PublicClientOptions {
  clientId: string;
  redirectUrl: string;
  /** Send the RFC 8707 `resource` parameter (the SDK default). */
  sendResource: boolean;
  fetch: Fetch;
}

/** What happened in the browser step: the redirect's query (`code` or `error` + `error_description`). */
export interface BrowserOutcome {
  authorizationUrl: URL;
  redirect: URL;
}

export class PublicClientProvider implements OAuthClientProvider {
  private saved?: OAuthTokens;
  private verifier = "";
  private info: OAuthClientInformationMixed;
  outcome?: BrowserOutcome;

  constructor(private readonly o: PublicClientOptions) {
    this.info = { client_id: o.clientId };
  }

  get redirectUrl(): string {
    return this.o.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: "e2e public client", redirect_uris: [this.o.redirectUrl], grant_types: ["authorization_code"], token_endpoint_auth_method: "none" };
  }

  clientInformation(): OAuthClientInformationMixed {
    return this.info;
  }

  /** Keeps the issuer stamp the SDK adds; the client id itself is static (Entra has no registration). */
  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  saveCodeVerifier(v: string): void {
    this.verifier = v;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  /** Without this the SDK sends the PRM `resource` as the RFC 8707 parameter. */
  get validateResourceURL(): OAuthClientProvider["validateResourceURL"] {
    return this.o.sendResource ? undefined : async () => undefined;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const r = await this.o.fetch(authorizationUrl, { redirect: "manual" });
    const location = r.headers.get("location");
    if (r.status !== 302 || !location) throw new Error(`authorization endpoint answered ${r.status}: ${await r.text()}`);
    this.outcome = { authorizationUrl, redirect: new URL(location) };
  }

  /** The code from the redirect, or the authorization server's error as thrown text. */
  code(): string {
    const q = this.outcome?.redirect.searchParams;
    const code = q?.get("code");
    if (!code) throw new Error(`authorization failed: ${q?.get("error")}: ${q?.get("error_description")}`);
    return code;
  }
}

/** Client credentials (app-only): `scope` is `<application ID URI>/.default` (what the daemon is told to ask), no `resource`. */
export class DaemonProvider implements OAuthClientProvider {
  private saved?: OAuthTokens;
  constructor(private readonly o: { clientId: string; clientSecret: string; scope: string }) {}
  get redirectUrl(): undefined {
    return undefined;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: "e2e daemon", redirect_uris: [], grant_types: ["client_credentials"], token_endpoint_auth_method: "client_secret_post" };
  }
  clientInformation(): OAuthClientInformationMixed {
    return { client_id: this.o.clientId, client_secret: this.o.clientSecret };
  }
  tokens(): OAuthTokens | undefined {
    return this.saved;
  }
  saveTokens(t: OAuthTokens): void {
    this.saved = t;
  }
  redirectToAuthorization(): void {
    throw new Error("a daemon never redirects");
  }
  saveCodeVerifier(): void {}
  codeVerifier(): string {
    return "";
  }
  validateResourceURL = async (): Promise<undefined> => undefined;
  prepareTokenRequest(): URLSearchParams {
    return new URLSearchParams({ grant_type: "client_credentials", scope: this.o.scope });
  }
}

export interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
}

/**
 * Connects as the client would: the first attempt meets the gateway's 401 and runs the SDK's discovery and
 * authorization; an interactive client then finishes with the code and connects again.
 */
export async function connect(
  mcpUrl: string,
  provider: OAuthClientProvider,
  fetchFn: Fetch,
  makeClient: () => Client,
  wrap: (t: StreamableHTTPClientTransport) => StreamableHTTPClientTransport = (t) => t,
): Promise<Connected> {
  const transportFor = (): StreamableHTTPClientTransport =>
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      authProvider: provider,
      fetch: fetchFn,
      reconnectionOptions: { initialReconnectionDelay: 1, maxReconnectionDelay: 5, reconnectionDelayGrowFactor: 1, maxRetries: 5 },
    });
  let transport = wrap(transportFor());
  let client = makeClient();
  try {
    await client.connect(transport);
    return { client, transport };
  } catch (e) {
    if (!(e instanceof UnauthorizedError) || !(provider instanceof PublicClientProvider)) throw e;
    await transport.finishAuth(provider.code());
  }
  transport = wrap(transportFor());
  client = makeClient();
  await client.connect(transport);
  return { client, transport };
}

export function sdkClient(capabilities: ClientOptions["capabilities"] = {}): Client {
  return new Client({ name: "e2e-client", version: "1.0.0" }, { capabilities });
}
