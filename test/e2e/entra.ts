/**
 * A local stand-in for one Microsoft Entra ID tenant, for end-to-end tests: the v2.0 OpenID configuration,
 * the JWKS, the authorization endpoint (authorization code + PKCE) and the token endpoint (authorization code,
 * client credentials), issuing v2 access tokens with the claims the gateway validates (iss, tid, aud, azp,
 * oid, roles, scp).
 *
 * It serves plain HTTP on 127.0.0.1 but names itself `https://login.microsoftonline.com` everywhere (metadata,
 * issuer), exactly as the real tenant does; tests reach it through `hostsFetch` (network.ts), the way a
 * resolver would. Behaviour follows Microsoft identity platform documentation ("OAuth 2.0 authorization code
 * flow", "client credentials flow", "access token claims reference", "AADSTS error codes"), including what the
 * real metadata omits: no `code_challenge_methods_supported` (Entra supports S256 without saying so), no
 * `registration_endpoint` (no dynamic client registration), and the RFC 8414 well-known paths answer 404.
 */
import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as jwt from "jsonwebtoken";

export const ENTRA_HOST = "login.microsoftonline.com";

/** An API application (the MCP server's registration): what clients request tokens for. */
export interface ResourceApp {
  clientId: string;
  /** Application ID URI: `api://<clientId>` or the canonical server URL on a verified custom domain. */
  identifierUri: string;
  /** Delegated scopes (short names). */
  scopes: string[];
  /** `appRoleAssignmentRequired` on its service principal. @default true */
  assignmentRequired?: boolean;
  /** Client applications pre-authorized for its scopes (no consent prompt). */
  preAuthorizedClientIds?: string[];
}

/** A client registration: a public client (PKCE, no secret) or a confidential one (secret). */
export interface ClientApp {
  clientId: string;
  redirectUris?: string[];
  secret?: string;
  /** Tenant-wide admin consent granted to this client for every resource's scopes. @default false */
  adminConsented?: boolean;
  /** App roles assigned to this client's service principal, per resource client id (client credentials). */
  appRoles?: Record<string, string[]>;
}

/** A user and the app roles assigned to them, per resource client id. */
export interface UserAccount {
  oid: string;
  roles: Record<string, readonly string[]>;
}

export interface EntraOptions {
  tenantId: string;
  resources: ResourceApp[];
  clients: ClientApp[];
  users: UserAccount[];
  /** Seconds since epoch, shared with the gateway emulator's clock. */
  clock: { now: number };
  /** Declare `code_challenge_methods_supported: ["S256"]` (the real tenant does not). @default false */
  declareS256?: boolean;
}

export interface EntraStandIn {
  /** `http://127.0.0.1:<port>`: where `login.microsoftonline.com` resolves for the tests. */
  readonly url: string;
  readonly issuer: string;
  readonly authority: string;
  /** The tenant's token-signing public key (what the gateway's openid-config resolves to). */
  readonly signingKey: KeyObject;
  /** The user the next authorization request signs in (as if they had typed their password). */
  signIn(oid: string): void;
  /** Every token-endpoint and authorize request, for assertions (parameters as sent). */
  readonly requests: { endpoint: "authorize" | "token"; params: Record<string, string> }[];
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  challengeMethod?: string;
  resource: ResourceApp;
  scopes: string[];
  oid: string;
  resourceParam?: string;
}

class EntraError extends Error {
  constructor(
    readonly error: string,
    readonly code: number,
    description: string,
  ) {
    super(`AADSTS${code}: ${description}`);
  }
}

const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

export async function startEntra(options: EntraOptions): Promise<EntraStandIn> {
  const { tenantId, clock } = options;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const authority = `https://${ENTRA_HOST}/${tenantId}`;
  const issuer = `${authority}/v2.0`;
  const codes = new Map<string, PendingCode>();
  const requests: EntraStandIn["requests"] = [];
  let signedIn: string | undefined;

  const client = (id: string | undefined): ClientApp => {
    const c = options.clients.find((x) => x.clientId === id);
    if (!c) throw new EntraError("unauthorized_client", 700016, `Application with identifier '${id}' was not found in the directory '${tenantId}'.`);
    return c;
  };

  /** Resolves `scope` to one resource and its short scopes, as v2.0 does (one resource per request). */
  const resolveScope = (scope: string): { resource: ResourceApp; names: string[] } => {
    const wanted = scope.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s));
    let resource: ResourceApp | undefined;
    const names: string[] = [];
    for (const s of wanted) {
      const cut = s.lastIndexOf("/");
      const prefix = cut > 0 ? s.slice(0, cut) : "";
      const r = options.resources.find((x) => x.identifierUri === prefix || `api://${x.clientId}` === prefix);
      if (!r) throw new EntraError("invalid_resource", 500011, `The resource principal named ${prefix || s} was not found in the tenant named ${tenantId}.`);
      if (resource && resource !== r) throw new EntraError("invalid_scope", 28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`);
      resource = r;
      names.push(s.slice(cut + 1));
    }
    if (!resource) throw new EntraError("invalid_scope", 70011, `The provided value for the input parameter 'scope' is not valid.`);
    return { resource, names };
  };

  const sign = (claims: Record<string, unknown>): string => jwt.sign(claims, privateKey, { algorithm: "RS256", keyid: kid, noTimestamp: true });

  const accessToken = (resource: ResourceApp, clientApp: ClientApp, subject: { oid: string; scp?: string[]; roles: readonly string[]; app?: boolean }): string =>
    sign({
      aud: resource.clientId,
      iss: issuer,
      iat: clock.now,
      nbf: clock.now,
      exp: clock.now + 3600,
      tid: tenantId,
      oid: subject.oid,
      sub: createHash("sha256").update(`${subject.oid}|${clientApp.clientId}`).digest("base64url").slice(0, 43),
      azp: clientApp.clientId,
      azpacr: clientApp.secret ? "1" : "0",
      ver: "2.0",
      ...(subject.app ? { idtyp: "app" } : {}),
      ...(subject.scp && subject.scp.length > 0 ? { scp: subject.scp.join(" ") } : {}),
      ...(subject.roles.length > 0 ? { roles: subject.roles } : {}),
    });

  const metadata = (): Record<string, unknown> => ({
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
    kerberos_endpoint: `${authority}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
    ...(options.declareS256 ? { code_challenge_methods_supported: ["S256"] } : {}),
  });

  /** The `resource` parameter must equal the application ID URI of the app owning the scopes. */
  const checkResourceParam = (resource: ResourceApp, param: string | undefined): void => {
    if (param !== undefined && param !== resource.identifierUri) {
      throw new EntraError("invalid_target", 9010010, "The resource parameter provided in the request doesn't match with the requested scopes.");
    }
  };

  const authorize = (q: Record<string, string>): { status: number; location?: string; body?: string } => {
    const app = client(q.client_id);
    if (!q.redirect_uri || !(app.redirectUris ?? []).includes(q.redirect_uri)) {
      // Entra shows an error page instead of redirecting to an unregistered URI.
      return { status: 400, body: `AADSTS50011: The redirect URI '${q.redirect_uri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.` };
    }
    const back = new URL(q.redirect_uri);
    if (q.state !== undefined) back.searchParams.set("state", q.state);
    try {
      if (q.response_type !== "code") throw new EntraError("unsupported_response_type", 700054, "response_type 'id_token' is not enabled for the application.");
      if (q.code_challenge_method !== undefined && !["S256", "plain"].includes(q.code_challenge_method)) throw new EntraError("invalid_request", 50149, "Invalid Code_Challenge_method parameter.");
      const { resource, names } = resolveScope(q.scope ?? "");
      checkResourceParam(resource, q.resource);
      if (!signedIn) throw new EntraError("interaction_required", 50058, "A silent sign-in request was sent but no user is signed in.");
      const user = options.users.find((u) => u.oid === signedIn)!;
      const consented = app.adminConsented === true || (resource.preAuthorizedClientIds ?? []).includes(app.clientId);
      if (!consented) throw new EntraError("consent_required", 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}'.`);
      const unknown = names.filter((n) => n !== ".default" && !resource.scopes.includes(n));
      if (unknown.length > 0) throw new EntraError("invalid_scope", 650053, `The application '${app.clientId}' asked for scope '${unknown[0]}' that doesn't exist on the resource '${resource.clientId}'.`);
      if ((resource.assignmentRequired ?? true) && (user.roles[resource.clientId] ?? []).length === 0) {
        throw new EntraError("access_denied", 50105, `The signed in user '${user.oid}' is not assigned to a role for the application '${resource.clientId}'.`);
      }
      const code = randomUUID();
      codes.set(code, { clientId: app.clientId, redirectUri: q.redirect_uri, challenge: q.code_challenge, challengeMethod: q.code_challenge_method, resource, scopes: names, oid: user.oid, resourceParam: q.resource });
      back.searchParams.set("code", code);
    } catch (e) {
      if (!(e instanceof EntraError)) throw e;
      back.searchParams.set("error", e.error);
      back.searchParams.set("error_description", e.message);
    }
    return { status: 302, location: back.toString() };
  };

  const token = (p: Record<string, string>, basic: { id?: string; secret?: string }): Record<string, unknown> => {
    const clientId = basic.id ?? p.client_id;
    const app = client(clientId);
    const secret = basic.secret ?? p.client_secret;
    if (app.secret !== undefined && secret !== app.secret) throw new EntraError("invalid_client", 7000215, "Invalid client secret provided.");
    if (p.grant_type === "client_credentials") {
      if (app.secret === undefined) throw new EntraError("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
      const { resource, names } = resolveScope(p.scope ?? "");
      if (names.length !== 1 || names[0] !== ".default") throw new EntraError("invalid_scope", 1002012, `The provided value for scope ${p.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      checkResourceParam(resource, p.resource);
      const roles = app.appRoles?.[resource.clientId] ?? [];
      if ((resource.assignmentRequired ?? true) && roles.length === 0) throw new EntraError("invalid_grant", 501051, `Application '${app.clientId}' is not assigned to a role for the application '${resource.clientId}'.`);
      return { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken(resource, app, { oid: `sp-${app.clientId}`, roles, app: true }) };
    }
    if (p.grant_type === "authorization_code") {
      const pending = codes.get(p.code ?? "");
      codes.delete(p.code ?? "");
      if (!pending || pending.clientId !== app.clientId) throw new EntraError("invalid_grant", 70000, "The provided authorization code or refresh token has expired or is invalid.");
      if (pending.redirectUri !== p.redirect_uri) throw new EntraError("invalid_grant", 70001, "The redirect URI does not match the one used in the authorization request.");
      if (pending.challenge !== undefined) {
        const v = p.code_verifier ?? "";
        const computed = pending.challengeMethod === "S256" ? createHash("sha256").update(v).digest("base64url") : v;
        if (computed !== pending.challenge) throw new EntraError("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
      } else if (app.secret === undefined) throw new EntraError("invalid_request", 9002327, "Proof Key for Code Exchange is required for public clients.");
      checkResourceParam(pending.resource, p.resource);
      const user = options.users.find((u) => u.oid === pending.oid)!;
      const scp = pending.scopes.includes(".default") ? pending.resource.scopes : pending.scopes;
      const scope = scp.map((s) => `${pending.resource.identifierUri}/${s}`).join(" ");
      return { token_type: "Bearer", scope, expires_in: 3599, ext_expires_in: 3599, access_token: accessToken(pending.resource, app, { oid: user.oid, scp, roles: user.roles[pending.resource.clientId] ?? [] }) };
    }
    throw new EntraError("unsupported_grant_type", 70003, `The app requested an unsupported grant type '${p.grant_type}'.`);
  };

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/plain" : "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", `https://${ENTRA_HOST}`);
      const path = url.pathname;
      try {
        if (req.method === "GET" && path === `/${tenantId}/v2.0/.well-known/openid-configuration`) return send(res, 200, metadata());
        if (req.method === "GET" && path === `/${tenantId}/discovery/v2.0/keys`) {
          return send(res, 200, { keys: [{ kty: "RSA", use: "sig", kid, ...publicKey.export({ format: "jwk" }), issuer }] });
        }
        if (req.method === "GET" && path === `/${tenantId}/oauth2/v2.0/authorize`) {
          const q = Object.fromEntries(url.searchParams);
          requests.push({ endpoint: "authorize", params: q });
          const r = authorize(q);
          return r.location ? send(res, r.status, "", { Location: r.location }) : send(res, r.status, r.body ?? "");
        }
        if (req.method === "POST" && path === `/${tenantId}/oauth2/v2.0/token`) {
          const p = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
          requests.push({ endpoint: "token", params: p });
          const auth = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
          const [id, secret] = auth ? Buffer.from(auth[1]!, "base64").toString().split(":").map(decodeURIComponent) : [];
          try {
            return send(res, 200, token(p, { id, secret }));
          } catch (e) {
            if (!(e instanceof EntraError)) throw e;
            return send(res, e.error === "invalid_client" ? 401 : 400, { error: e.error, error_description: e.message, error_codes: [e.code] });
          }
        }
        // Everything else, including the RFC 8414 path-inserted well-known URIs, is not found (as on Entra).
        send(res, 404, { error: "not_found" });
      } catch (e) {
        send(res, 400, { error: e instanceof EntraError ? e.error : "invalid_request", error_description: (e as Error).message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    issuer,
    authority,
    signingKey: publicKey,
    signIn: (oid) => {
      if (!options.users.some((u) => u.oid === oid)) throw new Error(`no user ${oid} in the stand-in tenant`);
      signedIn = oid;
    },
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
