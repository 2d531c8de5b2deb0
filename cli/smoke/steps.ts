/**
 * The smoke checks that need no credential, each answering one question in plain language: does the
 * gateway challenge anonymous callers so clients can discover sign-in, publish its metadata, refuse
 * tokens in URLs, refuse foreign browser origins, and refuse a token issued for another audience.
 */
import { fetchProtectedResourceMetadata, initialize } from "./probes";
import type { SmokeTarget } from "./target";

export type Outcome = "pass" | "fail" | "not run";

export interface StepResult {
  readonly step: string;
  readonly outcome: Outcome;
  /** What was seen, and for a failure what it means. */
  readonly detail: string;
}

/** What the metadata document tells a client (and the smoke test) about signing in. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: string[];
  readonly scopes_supported: string[];
  readonly bearer_methods_supported: string[];
}

const pass = (step: string, detail: string): StepResult => ({ step, outcome: "pass", detail });
const fail = (step: string, detail: string): StepResult => ({ step, outcome: "fail", detail });

function unexpected(status: number, expected: string): string {
  return status === 404
    ? `got 404, so there is no API at this path: check --server and that the deployment finished (expected ${expected}).`
    : `expected ${expected}, got ${status}.`;
}

export async function checkChallenge(t: SmokeTarget): Promise<StepResult> {
  const step = "anonymous call challenged";
  const r = await initialize(t);
  if (r.status >= 200 && r.status < 300) return fail(step, `initialize without a token was answered ${r.status}: anyone can use this server.`);
  if (r.status !== 401) return fail(step, unexpected(r.status, "401 with a WWW-Authenticate challenge"));
  const challenge = r.headers.get("www-authenticate") ?? "";
  if (!/^Bearer\b/i.test(challenge) || !challenge.includes(`resource_metadata="${t.prmUrl}"`)) {
    return fail(step, `401, but WWW-Authenticate ("${challenge}") does not carry resource_metadata="${t.prmUrl}": MCP clients cannot discover where to sign in.`);
  }
  return pass(step, "401 with a Bearer challenge whose resource_metadata points at the metadata document.");
}

export async function checkMetadata(t: SmokeTarget): Promise<{ result: StepResult; metadata?: ProtectedResourceMetadata }> {
  const step = "protected-resource metadata";
  const r = await fetchProtectedResourceMetadata(t);
  if (r.status !== 200) return { result: fail(step, unexpected(r.status, "200 with the RFC 9728 document, without a token")) };
  let doc: Partial<ProtectedResourceMetadata>;
  try {
    doc = JSON.parse(r.body) as Partial<ProtectedResourceMetadata>;
  } catch {
    return { result: fail(step, "the document is not JSON.") };
  }
  const problems: string[] = [];
  if (typeof doc.resource !== "string" || doc.resource === "" || doc.resource.endsWith("/")) problems.push("resource is missing or ends with '/'");
  const servers = Array.isArray(doc.authorization_servers) ? doc.authorization_servers : [];
  if (servers.length === 0 || !servers.every((s) => typeof s === "string" && /^https:\/\/[^/]+\/[^/]+\/v2\.0$/.test(s))) {
    problems.push("authorization_servers must list the tenant's Entra v2.0 issuer (https://<authority>/<tenant>/v2.0)");
  }
  if (!Array.isArray(doc.scopes_supported) || doc.scopes_supported.length === 0) problems.push("scopes_supported is empty, so clients cannot tell what to request");
  if (JSON.stringify(doc.bearer_methods_supported) !== JSON.stringify(["header"])) problems.push('bearer_methods_supported must be ["header"] (tokens only in the Authorization header)');
  if (problems.length > 0) return { result: fail(step, `the document is served but ${problems.join("; ")}.`) };
  const metadata = doc as ProtectedResourceMetadata;
  return {
    result: pass(step, `served without a token: resource ${metadata.resource}, issuer ${servers[0]}, scopes ${metadata.scopes_supported.join(" ")}.`),
    metadata,
  };
}

export async function checkQueryToken(t: SmokeTarget): Promise<StepResult> {
  const step = "token in the URL refused";
  const r = await initialize(t, { queryToken: true });
  return r.status === 400
    ? pass(step, "a request with ?access_token=... is refused with 400 (tokens in URLs end up in logs).")
    : fail(step, `${unexpected(r.status, "400")} Tokens in URLs leak into logs and must be refused before anything else.`);
}

/** A host that cannot exist (RFC 6761 `.invalid`), so it can never be on anyone's allow-list. */
export const FOREIGN_ORIGIN = "https://hardened-mcp-smoke.invalid";

export async function checkOrigin(t: SmokeTarget): Promise<StepResult> {
  const step = "foreign browser origin refused";
  const r = await initialize(t, { origin: FOREIGN_ORIGIN });
  if (r.status === 403) return pass(step, `Origin ${FOREIGN_ORIGIN} is refused with 403 (DNS-rebinding defence).`);
  return fail(
    step,
    r.status === 401
      ? "answered 401: the Origin is not checked before authentication, so a page on any site can probe the server. Expected 403."
      : unexpected(r.status, "403"),
  );
}

export async function checkWrongAudience(t: SmokeTarget, foreignToken: string): Promise<StepResult> {
  const step = "token for another audience refused";
  const r = await initialize(t, { token: foreignToken });
  if (r.status === 401) return pass(step, "a valid Entra token issued for Azure Resource Manager is refused with 401.");
  if (r.status >= 200 && r.status < 300) {
    return fail(step, "a token issued for Azure Resource Manager opened a session: the gateway does not check the audience, so any token from the tenant works (token passthrough risk).");
  }
  return fail(step, unexpected(r.status, "401 invalid_token"));
}
