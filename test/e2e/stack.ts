/**
 * One MCP server published through the emulated gateway, end to end: the Entra stand-in (tenant, the server's
 * application, client registrations, users), the kit's generated documents for the server (generated against
 * that tenant and application exactly as McpServerApi generates them), the HTTP front serving the MCP API and
 * its Protected Resource Metadata API, the SDK McpServer as backend, and the network fetch that resolves
 * `mcp.contoso.com` and `login.microsoftonline.com` to them.
 *
 * Several variants (custom domain or not, ...) share one mcs compile: `compileStacks` builds every variant's
 * expressions into one pool, then `startStack` starts each.
 */
import { mcpPolicySettingsInput, mcpServerUrls } from "../../infra/gateway/mcpServerApi";
import { buildGlobalPolicy, buildPrmPolicy, resolveMcpPolicySettings, type McpPolicySettingsInput } from "../../infra/gateway/policy";
import { buildAuthServerMetadataPolicy, buildPrmPolicyWithGatewayAuthServer } from "../../infra/gateway/policy/authServerMetadata";
import { compileExpressionPool, type ExpressionPool } from "../support/apim/expressions";
import { GatewayEmulator, type EmulatorDocuments, type EmulatorOptions, type FakeAnswer, type OutboundCall } from "../emulator/gateway";
import { generatedDocuments } from "../emulator/fixture";
import { startMcpBackend, type McpBackend } from "./backend";
import { INJECTION } from "./injection";
import { ENTRA_HOST, startEntra, type EntraStandIn } from "./entra";
import { createGatewayFront, type GatewayFront, type Lane } from "./front";
import { hostsFetch, type Fetch } from "./network";

export const TENANT = "7a1c0c5e-5d3f-4f57-9d7e-0c2b2f1e9a10";
export const HOST = "mcp.contoso.com";
export const SERVER = "weather";
export const URLS = mcpServerUrls(HOST, SERVER);
/** The MCP server's Entra application (the audience of its tokens). */
export const SERVER_APP = "2b8e3c4d-1111-4c2a-9e55-3c1f0d6a7b01";
/** A sibling server's application in the same tenant: its tokens must not open this server. */
export const SIBLING_APP = "2b8e3c4d-2222-4c2a-9e55-3c1f0d6a7b02";
/** Visual Studio Code's public client id (pre-authorized by the kit's `WellKnownMcpClients`). */
export const VSCODE_CLIENT = "aebc6443-996d-45c2-90f0-388ff96faa56";
/** A public client the tenant registered for a CLI (Claude Code, mcp-remote): localhost redirect, admin consent. */
export const CLI_CLIENT = "5c6d7e8f-3333-4b1a-8c2d-9e0f1a2b3c03";
/** A confidential daemon client with an app role on the server. */
export const DAEMON_CLIENT = "5c6d7e8f-4444-4b1a-8c2d-9e0f1a2b3c04";
export const DAEMON_SECRET = "daemon-secret-value";
export const VSCODE_REDIRECT = "http://127.0.0.1:33418/";
export const CLI_REDIRECT = "http://localhost:3334/oauth/callback";
/** Claude Code's loopback redirect for `--callback-port 3334` (the registration docs/clients.md asks for has both). */
export const CLAUDE_REDIRECT = "http://localhost:3334/callback";
export const BACKEND_URL = "https://weather.internal.contoso.com";
const BACKEND_ID = "mcp-weather";
const CONTENT_SAFETY = "https://cs-mcp.cognitiveservices.azure.com";

/** Users: alice may call the read tools, root also the admin tool, mallory is in the tenant but not assigned. */
export const USERS = {
  alice: { oid: "0a11ce00-0000-4000-8000-000000000001", roles: { [SERVER_APP]: ["mcp.user"] } },
  bob: { oid: "0b0b0000-0000-4000-8000-000000000002", roles: { [SERVER_APP]: ["mcp.user"] } },
  root: { oid: "0a0a0000-0000-4000-8000-000000000003", roles: { [SERVER_APP]: ["mcp.user", "Tools.Admin"] } },
  mallory: { oid: "0bad0000-0000-4000-8000-000000000004", roles: {} },
} as const;

export interface StackVariant {
  /** The gateway has a custom domain: the application ID URI is the canonical server URL. @default true */
  customDomain?: boolean;
  /** The stand-in declares `code_challenge_methods_supported` (the real tenant does not). @default false */
  declareS256?: boolean;
  /** The gateway serves authorization server metadata (authServerMetadata.ts) and its PRM names it. @default false */
  gatewayAuthServer?: boolean;
}

export interface Stack {
  readonly entra: EntraStandIn;
  readonly backend: McpBackend;
  readonly front: GatewayFront;
  /** Resolves the gateway and Entra hosts to the local servers. */
  readonly fetch: Fetch;
  /** Every request the clients made on the network (`METHOD https://host/path?query`), in order. */
  readonly log: string[];
  /** The application ID URI clients request scopes under. */
  readonly applicationIdUri: string;
  /** The full baseline scope (`<applicationIdUri>/mcp.invoke`). */
  readonly scope: string;
  readonly clock: { now: number };
  /** The Prompt Shields stand-in (set `unavailableFor` to make Content Safety fail). */
  readonly shields: PromptShields;
  close(): Promise<void>;
}

interface Built {
  variant: Required<StackVariant>;
  applicationIdUri: string;
  api: { docs: EmulatorDocuments; namedValues: Record<string, string> };
  prm: EmulatorDocuments;
  /** The gateway's authorization server metadata operation, when the variant has it. */
  asm?: EmulatorDocuments;
}

export function policyInput(applicationIdUri: string): McpPolicySettingsInput {
  return mcpPolicySettingsInput(
    SERVER,
    {
      tools: [
        { name: "get_forecast", scopes: ["mcp.invoke"], roles: ["Forecast.Read"] },
        { name: "wait_for_cancel", scopes: ["mcp.invoke"] },
        { name: "ask_user", scopes: ["mcp.invoke"] },
        { name: "summarize", scopes: ["mcp.invoke"] },
        { name: "fetch_page", scopes: ["mcp.invoke"] },
        { name: "ask_inline", scopes: ["mcp.invoke"] },
        { name: "delete_all", roles: ["Tools.Admin"] },
      ],
      // Content Safety on with the kit's defaults: request screening, tool-definition screening and result
      // screening ("block"), so every flow here runs as a default deployment would.
      contentSafety: {},
    },
    {
      tenantId: TENANT,
      clientId: SERVER_APP,
      applicationIdUri,
      scopes: [`${applicationIdUri}/mcp.invoke`],
      allowedClientAppIds: [VSCODE_CLIENT, CLI_CLIENT, DAEMON_CLIENT],
      gatewayHost: HOST,
      gatewayIdentityClientId: "6e7f8a9b-5555-4c3d-8e4f-5a6b7c8d9e05",
      backendAudience: "api://weather-backend",
      contentSafetyEndpoint: CONTENT_SAFETY,
    },
    BACKEND_ID,
  );
}

function build(v: StackVariant): Built {
  const variant = { customDomain: v.customDomain ?? true, declareS256: v.declareS256 ?? false, gatewayAuthServer: v.gatewayAuthServer ?? false };
  const applicationIdUri = variant.customDomain ? URLS.resource : `api://${SERVER_APP}`;
  const input = policyInput(applicationIdUri);
  const generated = generatedDocuments(input);
  const settings = resolveMcpPolicySettings(input);
  return {
    variant,
    applicationIdUri,
    api: { docs: generated.docs, namedValues: generated.namedValues },
    prm: { global: buildGlobalPolicy(), operation: variant.gatewayAuthServer ? buildPrmPolicyWithGatewayAuthServer(settings) : buildPrmPolicy(settings) },
    ...(variant.gatewayAuthServer ? { asm: { global: buildGlobalPolicy(), operation: buildAuthServerMetadataPolicy(settings) } } : {}),
  };
}

/**
 * Every variant the e2e files start. Both files compile this same set, so the second finds the first's
 * assembly in the content-hash cache (one mcs run per suite).
 */
export const E2E_VARIANTS = {
  custom: { customDomain: true },
  noCustom: { customDomain: false },
  gatewayAs: { customDomain: true, gatewayAuthServer: true },
} as const satisfies Record<string, StackVariant>;

/** Compiles the expressions of every variant in one mcs run. */
export function compileStacks(variants: StackVariant[]): ExpressionPool {
  const exprs = variants.flatMap((v) => {
    const b = build(v);
    return [
      ...GatewayEmulator.expressionsOf(b.api.docs, b.api.namedValues),
      ...GatewayEmulator.expressionsOf(b.prm, {}),
      ...(b.asm ? GatewayEmulator.expressionsOf(b.asm, {}) : []),
    ];
  });
  return compileExpressionPool(exprs);
}

/**
 * Content Safety Prompt Shields as the gateway calls it: flags only text containing `INJECTION` (so every
 * legitimate flow passes and an injected tool result is flagged), and answers 503 to any call whose documents
 * contain `unavailableFor` ("" for every call) so a test can make screening fail where it wants.
 */
export interface PromptShields {
  unavailableFor?: string;
  /** Every shieldPrompt request body the gateway sent, in order. */
  readonly calls: { userPrompt?: string; documents?: string[] }[];
}

function contentSafety(shields: PromptShields): (call: OutboundCall) => FakeAnswer {
  return (call) => {
    if (!call.url.startsWith(`${CONTENT_SAFETY}/contentsafety/text:shieldPrompt`)) return { status: 404 };
    const req = JSON.parse(call.body) as { userPrompt?: string; documents?: string[] };
    shields.calls.push(req);
    if (shields.unavailableFor !== undefined && (req.documents ?? []).some((d) => d.includes(shields.unavailableFor!))) return { status: 503, headers: { "Content-Type": "application/json" }, body: { error: { code: "ServiceUnavailable" } } };
    const attack = (text: string | undefined): boolean => (text ?? "").includes(INJECTION);
    return {
      status: 200,
      headers: { "Content-Type": "application/json" },
      body: { userPromptAnalysis: { attackDetected: attack(req.userPrompt) }, documentsAnalysis: (req.documents ?? []).map((d) => ({ attackDetected: attack(d) })) },
    };
  };
}

export async function startStack(pool: ExpressionPool, v: StackVariant = {}): Promise<Stack> {
  const b = build(v);
  const clock = { now: Math.floor(Date.now() / 1000) };
  const entra = await startEntra({
    tenantId: TENANT,
    clock,
    declareS256: b.variant.declareS256,
    resources: [
      { clientId: SERVER_APP, identifierUri: b.applicationIdUri, scopes: ["mcp.invoke"], preAuthorizedClientIds: [VSCODE_CLIENT] },
      { clientId: SIBLING_APP, identifierUri: `api://${SIBLING_APP}`, scopes: ["mcp.invoke"], preAuthorizedClientIds: [VSCODE_CLIENT] },
    ],
    clients: [
      { clientId: VSCODE_CLIENT, redirectUris: [VSCODE_REDIRECT, "https://vscode.dev/redirect"] },
      { clientId: CLI_CLIENT, redirectUris: [CLI_REDIRECT, CLAUDE_REDIRECT], adminConsented: true },
      { clientId: DAEMON_CLIENT, secret: DAEMON_SECRET, appRoles: { [SERVER_APP]: ["Forecast.Read"], [SIBLING_APP]: ["mcp.user"] } },
    ],
    users: Object.values(USERS).map((u) => ({ oid: u.oid, roles: { ...u.roles, [SIBLING_APP]: ["mcp.user"] } })),
  });
  const backend = await startMcpBackend();
  // The outbound section reads tools/list answers (filtering, pins, screening) and tools/call answers (result
  // screening): APIM buffers those, so the front does too.
  const front = createGatewayFront({ [BACKEND_URL]: backend.url }, (method) => method === "tools/list" || method === "tools/call");
  const shields: PromptShields = { calls: [] };
  const common = { gatewayHost: HOST, backends: { [BACKEND_ID]: BACKEND_URL }, signingKeys: [entra.signingKey], services: contentSafety(shields), clock };
  /** Instances of one APIM API, made on demand by the front, sharing the first one's cache and counters. */
  const apiOf = (options: Omit<EmulatorOptions, "backend" | keyof typeof common>): ((lane: Lane) => Promise<GatewayEmulator>) => {
    let first: GatewayEmulator | undefined;
    return async (lane) => {
      const e = new GatewayEmulator({ ...common, ...options, backend: lane.forward, ...(first ? { shareStateWith: first } : {}) });
      first ??= e;
      await e.start(pool);
      return e;
    };
  };
  front.mount(
    `/${SERVER}`,
    apiOf({
      documents: b.api.docs,
      namedValues: b.api.namedValues,
      api: { id: `mcp-${SERVER}`, name: `mcp-${SERVER}`, path: SERVER },
      operations: ["POST", "GET", "DELETE"].map((method) => ({ id: `mcp-${method.toLowerCase()}`, method, urlTemplate: "/mcp" })),
    }),
  );
  // Metadata documents are their own anonymous APIs at the host root, one GET /mcp each (as McpServerApi does).
  const metadata = (suffix: string, wellKnown: string, documents: EmulatorDocuments): void => {
    const path = `.well-known/${wellKnown}/${SERVER}`;
    front.mount(
      `/${path}`,
      apiOf({ documents, namedValues: {}, api: { id: `mcp-${SERVER}-${suffix}`, name: `mcp-${SERVER}-${suffix}`, path }, operations: [{ id: `${suffix}-get`, method: "GET", urlTemplate: "/mcp" }] }),
    );
  };
  metadata("prm", "oauth-protected-resource", b.prm);
  if (b.asm) metadata("asm", "oauth-authorization-server", b.asm);
  await front.listen();
  const log: string[] = [];
  return {
    entra,
    backend,
    front,
    fetch: hostsFetch({ [HOST]: front.url, [ENTRA_HOST]: entra.url }, log),
    log,
    applicationIdUri: b.applicationIdUri,
    scope: `${b.applicationIdUri}/mcp.invoke`,
    clock,
    shields,
    close: async () => {
      await front.close();
      await backend.close();
      await entra.close();
    },
  };
}
