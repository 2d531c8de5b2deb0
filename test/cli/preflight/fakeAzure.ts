import * as http from "http";
import type { AddressInfo } from "net";
import type { AccessToken, TokenCredential } from "@azure/identity";

/**
 * A local stand-in for the ARM and Microsoft Graph endpoints preflight reads, on 127.0.0.1. Every
 * answer comes from `state`, which a test changes to make one check fail; by default everything passes
 * (Owner everywhere, providers registered, names free, regions open). Unknown routes answer 404 with
 * ARM's error envelope, and every request is logged.
 */
export interface Permission {
  actions: string[];
  notActions: string[];
}

export interface FakeAzureState {
  /** registrationState by namespace (lowercase); absent = Registered. */
  providers: Record<string, string>;
  /** ARM ids (lowercase) that exist: GET answers 200 with `resources[id]` or `{}`. */
  resources: Record<string, unknown>;
  /** Effective permissions by scope id (lowercase); absent = Owner (`*`). A number is an HTTP status to answer. */
  permissions: Record<string, Permission[] | number>;
  deletedVaults: Record<string, unknown>;
  deletedServices: Record<string, unknown>;
  deletedAccounts: Record<string, unknown>;
  vaultNameAvailable: { nameAvailable: boolean; reason?: string };
  apimNameAvailable: { nameAvailable: boolean; reason?: string; message?: string };
  subdomainAvailable: { isSubdomainAvailable: boolean; reason?: string };
  cognitiveSkus: unknown[];
  apimSkus: unknown[];
  directoryRoles: { roleTemplateId: string; displayName: string }[];
}

export const OWNER: Permission[] = [{ actions: ["*"], notActions: [] }];
/** Contributor as Azure defines it: everything but authorization writes and deletes (and a few more). */
export const CONTRIBUTOR: Permission[] = [
  {
    actions: ["*"],
    notActions: [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
      "Microsoft.Blueprint/blueprintAssignments/write",
      "Microsoft.Blueprint/blueprintAssignments/delete",
      "Microsoft.Compute/galleries/share/action",
    ],
  },
];

export function defaultState(location = "westeurope"): FakeAzureState {
  return {
    providers: {},
    resources: {},
    permissions: {},
    deletedVaults: {},
    deletedServices: {},
    deletedAccounts: {},
    vaultNameAvailable: { nameAvailable: true },
    apimNameAvailable: { nameAvailable: true },
    subdomainAvailable: { isSubdomainAvailable: true },
    cognitiveSkus: [{ resourceType: "accounts", kind: "ContentSafety", name: "S0", locations: [location.toUpperCase()], restrictions: [] }],
    apimSkus: ["StandardV2", "Premium", "Developer"].map((name) => ({
      resourceType: "service",
      name,
      locations: ["West Europe", "Sweden Central"],
      capacity: { minimum: 1, maximum: name === "Developer" ? 1 : 10 },
      restrictions: [],
    })),
    directoryRoles: [{ roleTemplateId: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", displayName: "Application Administrator" }],
  };
}

export interface FakeAzure {
  readonly url: string;
  state: FakeAzureState;
  readonly requests: string[];
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

const notFound = (res: http.ServerResponse, what: string) => send(res, 404, { error: { code: "ResourceNotFound", message: `${what} was not found` } });

function route(state: FakeAzureState, method: string, path: string, body: Record<string, unknown>, res: http.ServerResponse): void {
  const p = path.toLowerCase();
  let m: RegExpExecArray | null;
  if (p.startsWith("/v1.0/me/transitivememberof/microsoft.graph.directoryrole")) return send(res, 200, { value: state.directoryRoles });
  if ((m = /^(.*)\/providers\/microsoft\.authorization\/permissions$/.exec(p))) {
    const answer = state.permissions[m[1]] ?? OWNER;
    if (typeof answer === "number") return send(res, answer, { error: { code: "AuthorizationFailed", message: "no read" } });
    return send(res, 200, { value: answer });
  }
  if ((m = /^\/subscriptions\/[^/]+\/providers\/(microsoft\.[a-z]+)$/.exec(p)) && method === "GET") {
    return send(res, 200, { namespace: m[1], registrationState: state.providers[m[1]] ?? "Registered" });
  }
  if ((m = /\/providers\/microsoft\.keyvault\/locations\/[^/]+\/deletedvaults\/([^/]+)$/.exec(p))) {
    return m[1] in state.deletedVaults ? send(res, 200, state.deletedVaults[m[1]]) : notFound(res, "deleted vault");
  }
  if ((m = /\/providers\/microsoft\.apimanagement\/locations\/[^/]+\/deletedservices\/([^/]+)$/.exec(p))) {
    return m[1] in state.deletedServices ? send(res, 200, state.deletedServices[m[1]]) : notFound(res, "deleted service");
  }
  if ((m = /\/providers\/microsoft\.cognitiveservices\/locations\/[^/]+\/resourcegroups\/[^/]+\/deletedaccounts\/([^/]+)$/.exec(p))) {
    return m[1] in state.deletedAccounts ? send(res, 200, state.deletedAccounts[m[1]]) : notFound(res, "deleted account");
  }
  if (p.endsWith("/providers/microsoft.keyvault/checknameavailability") && method === "POST" && body.type === "Microsoft.KeyVault/vaults") {
    return send(res, 200, state.vaultNameAvailable);
  }
  if (p.endsWith("/providers/microsoft.apimanagement/checknameavailability") && method === "POST" && typeof body.name === "string") {
    return send(res, 200, state.apimNameAvailable);
  }
  if (p.endsWith("/providers/microsoft.cognitiveservices/checkdomainavailability") && method === "POST" && body.kind === "ContentSafety") {
    return send(res, 200, state.subdomainAvailable);
  }
  if (p.endsWith("/providers/microsoft.cognitiveservices/skus")) return send(res, 200, { value: state.cognitiveSkus });
  if (p.endsWith("/providers/microsoft.apimanagement/skus")) return send(res, 200, { value: state.apimSkus });
  if (method === "GET" && p.startsWith("/subscriptions/")) {
    return p in state.resources ? send(res, 200, state.resources[p] ?? {}) : notFound(res, path);
  }
  return notFound(res, path);
}

export async function startFakeAzure(state: FakeAzureState = defaultState()): Promise<FakeAzure> {
  const requests: string[] = [];
  const fake = { state } as { state: FakeAzureState };
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      requests.push(`${req.method ?? "GET"} ${url.pathname}${url.search}`);
      if (!(req.headers.authorization ?? "").startsWith("Bearer ")) return send(res, 401, { error: { code: "AuthenticationFailed", message: "no bearer token" } });
      let body: Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        return send(res, 400, { error: { code: "InvalidRequestContent", message: "not JSON" } });
      }
      route(fake.state, req.method ?? "GET", url.pathname, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/** An unsigned JWT with these claims: what preflight reads from a Graph token (it never verifies one). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.sig`;
}

/** A credential that hands out `token` for every scope and records the scopes asked for. */
export function stubCredential(token: string, scopes: string[] = []): TokenCredential {
  return {
    getToken: async (scope: string | string[]): Promise<AccessToken> => {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}
