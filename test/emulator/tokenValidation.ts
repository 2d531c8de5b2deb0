// Token validation: validate-azure-ad-token and validate-jwt against the emulated tenant's signing keys.
import { createPublicKey, verify as cryptoVerify, type KeyObject } from "node:crypto";
import type { Element } from "@xmldom/xmldom";
import { childElements } from "../support/apim/xml";
import { PolicyError, errorResponse, type Run } from "./messages";
import type { PolicyRuntime } from "./runtime";

export async function validateToken(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const policy = el.tagName;
  const code = Number((await g.expr.attr(el, "failed-validation-httpcode", run)) ?? "401");
  const message = (await g.expr.attr(el, "failed-validation-error-message", run)) ?? "Unauthorized. Access token is missing or invalid.";
  const fail = (reason: string): never => {
    throw new PolicyError(policy, reason, message, errorResponse(code, message));
  };

  let token: string | undefined;
  const headerName = await g.expr.attr(el, "header-name", run);
  const queryName = await g.expr.attr(el, "query-parameter-name", run);
  const tokenValue = await g.expr.attr(el, "token-value", run);
  if (tokenValue !== undefined) token = tokenValue;
  else if (queryName !== undefined) token = run.request.url.query[queryName]?.[0];
  else {
    const h = run.request.headers[(headerName ?? "Authorization").toLowerCase()]?.[0];
    if (h !== undefined) {
      const scheme = policy === "validate-jwt" ? await g.expr.attr(el, "require-scheme", run) : "Bearer";
      const m = /^(\S+)\s+(.+)$/.exec(h.trim());
      if (scheme !== undefined) {
        if (!m || m[1]!.toLowerCase() !== scheme.toLowerCase()) fail("TokenSchemeNotAllowed");
        token = m![2]!.trim();
      } else token = m ? m[2]!.trim() : h.trim();
    }
  }
  if (!token) return fail("TokenNotPresent");

  const parts = token.split(".");
  if (parts.length !== 3) return fail("TokenNotPresent");
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString()) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString()) as Record<string, unknown>;
  } catch {
    return fail("TokenNotPresent");
  }

  // Signature: Entra signs with RS256 and the tenant's published keys; unsigned tokens are never accepted
  // (validate-jwt require-signed-tokens defaults to true; validate-azure-ad-token has no way to turn it off).
  const requireSigned = policy === "validate-jwt" ? ((await g.expr.attr(el, "require-signed-tokens", run)) ?? "true").toLowerCase() === "true" : true;
  if (header.alg !== "RS256") {
    if (requireSigned || header.alg !== "none") fail("TokenSignatureInvalid");
  } else {
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const sig = Buffer.from(parts[2]!, "base64url");
    const keys = policy === "validate-jwt" ? await jwtSigningKeys(g, el, run) : g.options.signingKeys;
    if (!keys.some((k) => cryptoVerify("RSA-SHA256", signed, k, sig))) fail("TokenSignatureInvalid");
  }

  const now = g.options.clock.now;
  const skew = policy === "validate-jwt" ? Number((await g.expr.attr(el, "clock-skew", run)) ?? "0") : 0;
  const exp = typeof claims.exp === "number" ? claims.exp : undefined;
  const requireExp = policy === "validate-jwt" ? ((await g.expr.attr(el, "require-expiration-time", run)) ?? "true").toLowerCase() === "true" : true;
  if (exp === undefined && requireExp) fail("TokenExpirationTimeNotPresent");
  if (exp !== undefined && now > exp + skew) fail("TokenExpired");
  if (typeof claims.nbf === "number" && now < claims.nbf - skew) fail("TokenNotYetValid");

  const listOf = (parent: string, item: string): Element[] | undefined => {
    const p = childElements(el).find((c) => c.tagName === parent);
    return p ? childElements(p).filter((c) => c.tagName === item) : undefined;
  };
  const texts = async (els: Element[] | undefined): Promise<string[] | undefined> => {
    if (!els) return undefined;
    const out: string[] = [];
    for (const e of els) out.push(((await g.expr.text(e, run)) ?? "").trim());
    return out;
  };

  const iss = String(claims.iss ?? "");
  if (policy === "validate-azure-ad-token") {
    const tenant = (await g.expr.requiredAttr(el, "tenant-id", run)).toLowerCase();
    const issuers = [`https://sts.windows.net/${tenant}/`, `https://login.microsoftonline.com/${tenant}/v2.0`];
    if (!issuers.includes(iss)) fail("TokenIssuerNotAllowed");
    if (String(claims.tid ?? "").toLowerCase() !== tenant) fail("TokenIssuerNotAllowed");
  } else {
    const issuers = await texts(listOf("issuers", "issuer"));
    if (issuers && !issuers.includes(iss)) fail("TokenIssuerNotAllowed");
  }

  const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : claims.aud === undefined ? [] : [String(claims.aud)];
  const audiences = [...((await texts(listOf("audiences", "audience"))) ?? []), ...((await texts(listOf("backend-application-ids", "application-id"))) ?? [])];
  if (audiences.length > 0 && !aud.some((a) => audiences.includes(a))) fail("TokenAudienceNotAllowed");

  const clientIds = await texts(listOf("client-application-ids", "application-id"));
  if (clientIds && clientIds.length > 0) {
    const app = String(claims.azp ?? claims.appid ?? "").toLowerCase();
    if (!clientIds.map((c) => c.toLowerCase()).includes(app)) fail("TokenClientApplicationNotAllowed");
  }

  const required = childElements(el).find((c) => c.tagName === "required-claims");
  for (const claim of required ? childElements(required) : []) {
    const name = claim.getAttribute("name") ?? "";
    const match = claim.getAttribute("match") ?? "all";
    const separator = claim.getAttribute("separator");
    const raw = claims[name];
    if (raw === undefined) fail("TokenClaimNotFound");
    let have = Array.isArray(raw) ? raw.map(String) : [String(raw)];
    if (separator) have = have.flatMap((h) => h.split(separator));
    const want = (await texts(childElements(claim).filter((c) => c.tagName === "value"))) ?? [];
    if (want.length > 0) {
      const ok = match === "any" ? want.some((w) => have.includes(w)) : want.every((w) => have.includes(w));
      if (!ok) fail("TokenClaimValueNotAllowed");
    }
  }

  const out = el.getAttribute("output-token-variable-name");
  if (out) {
    run.variableNames.add(out);
    await g.expr.host.set(out, { kind: "jwt", value: token });
  }
}

async function jwtSigningKeys(g: PolicyRuntime, el: Element, run: Run): Promise<KeyObject[]> {
  const keys: KeyObject[] = [];
  for (const c of childElements(el)) {
    if (c.tagName === "openid-config") keys.push(...g.options.signingKeys); // the emulated tenant's OIDC keys
    if (c.tagName === "issuer-signing-keys") {
      for (const k of childElements(c)) {
        const n = k.getAttribute("n");
        const e = k.getAttribute("e");
        if (n && e) keys.push(createPublicKey({ key: { kty: "RSA", n, e }, format: "jwk" }));
        else throw new Error(`issuer-signing-keys <key> form not emulated (${(await g.expr.text(k, run)) ?? ""})`);
      }
    }
  }
  return keys;
}
