/** Authentication (validate-jwt on the pinned tenant) and the limits that follow it before the body is read. */
import { el, type PolicyElement } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, strVar, Vars } from "./expressions";
import { namedValueRef } from "./namedValues";
import { setVariable } from "./elements";
import { bearerChallenge, refuseWhen, RpcErrors } from "./respond";

/** The `openid-config` URL of the pinned tenant (v2.0 metadata; its JWKS signs v1 and v2 tokens alike). */
export function openIdConfigUrl(s: McpPolicySettings): string {
  return `https://login.microsoftonline.com/${s.tenantId}/v2.0/.well-known/openid-configuration`;
}

/** Issuers for the accepted token versions; never a multi-tenant issuer. */
export function pinnedIssuers(s: McpPolicySettings): string[] {
  return s.acceptedTokenVersions.map((v) => (v === 2 ? `https://login.microsoftonline.com/${s.tenantId}/v2.0` : `https://sts.windows.net/${s.tenantId}/`));
}

/**
 * Controls 1, 3, 4: no token -> 401 with the PRM/scope challenge; then validate-jwt (validate-azure-ad-token has no
 * clock-skew or issuer-version pinning): signature from the tenant's OIDC metadata, issuer and `tid` pinned,
 * audience = App ID URI or client ID, exp required, small skew. Failures land in on-error (`onErrorResponses`),
 * which answers 401 with `error="invalid_token"`. Caller identity is taken from the VALIDATED token only.
 */
export function validateToken(s: McpPolicySettings): PolicyFragment {
  const jwt = `context.Variables.GetValueOrDefault<Jwt>(${csString(Vars.token)})`;
  const nodes: PolicyElement[] = [
    refuseWhen(s, expr(`!context.Request.Headers.ContainsKey("Authorization")`), {
      status: 401,
      code: RpcErrors.unauthorized,
      message: "Authentication required.",
      decision: "deny:no-token",
      headers: [{ name: "WWW-Authenticate", value: bearerChallenge(s) }],
    }),
    el(
      "validate-jwt",
      {
        "header-name": "Authorization",
        "failed-validation-httpcode": 401,
        "failed-validation-error-message": "Unauthorized",
        "require-expiration-time": true,
        "require-scheme": "Bearer",
        "require-signed-tokens": true,
        "clock-skew": s.clockSkewSeconds,
        "output-token-variable-name": Vars.token,
      },
      el("openid-config", { url: openIdConfigUrl(s) }),
      el("audiences", {}, ...s.audiences.map((a) => el("audience", {}, a))),
      el("issuers", {}, ...pinnedIssuers(s).map((i) => el("issuer", {}, i))),
      el("required-claims", {}, el("claim", { name: "tid", match: "all" }, el("value", {}, s.tenantId))),
    ),
    setVariable(
      Vars.caller,
      block(
        `var jwt = ${jwt}; string oid = jwt.Claims.GetValueOrDefault("oid", ""); ` +
          `if (oid == "") { oid = jwt.Subject ?? ""; } return jwt.Claims.GetValueOrDefault("tid", "") + ":" + oid;`,
      ),
    ),
    setVariable(
      Vars.clientApp,
      block(`var jwt = ${jwt}; string app = jwt.Claims.GetValueOrDefault("azp", ""); return app != "" ? app : jwt.Claims.GetValueOrDefault("appid", "");`),
    ),
    // A caller key without an object id would let different principals share sessions and rate-limit counters.
    // Every Entra ACCESS token names its client (azp in v2, appid in v1); an ID token does not, so requiring it
    // also stops an ID token minted for the server's own app registration from being used as an access token.
    refuseWhen(s, expr(`${strVar(Vars.caller)}.EndsWith(":") || ${strVar(Vars.clientApp)} == ""`), {
      status: 401,
      code: RpcErrors.unauthorized,
      message: "Authentication required.",
      decision: "deny:token-subject",
      headers: [{ name: "WWW-Authenticate", value: bearerChallenge(s, "invalid_token") }],
    }),
  ];
  if (s.allowedClientAppIds.length > 0) {
    const apps = `new string[] { ${s.allowedClientAppIds.map(csString).join(", ")} }`;
    nodes.push(
      refuseWhen(s, expr(`!${apps}.Contains(${strVar(Vars.clientApp)}.ToLowerInvariant())`), {
        status: 403,
        code: RpcErrors.forbidden,
        message: "Client application not permitted.",
        decision: "deny:client-app",
      }),
    );
  }
  return { id: "validateToken", section: "inbound", controls: [1, 3, 4], nodes };
}

/**
 * Control 19 (first half): per-caller rate limit and per-client-app limit, placed right after authentication so
 * an authenticated flood is throttled before the body is parsed or Content Safety is called. Counter keys are
 * prefixed with the server name: counters are shared across every scope that uses the same key. The client-app
 * limit is quota-by-key on classic tiers; v2 tiers have no quota-by-key, so there it is a rate-limit-by-key. It is
 * keyed by the caller within the client application: one bucket for every user of VS Code would let a handful of
 * insiders deny the whole organisation (`sharedClientAppQuota` is that weakening, named in the policy's key).
 */
export function limitCallerAndClientApp(s: McpPolicySettings): PolicyFragment {
  const appKey = s.sharedClientAppQuota
    ? `${csString(`mcp:${s.serverName}:app:`)} + ${strVar(Vars.clientApp)}`
    : `${csString(`mcp:${s.serverName}:app-caller:`)} + ${strVar(Vars.clientApp)} + "/" + ${strVar(Vars.caller)}`;
  const appLimit = {
    calls: namedValueRef(s.serverName, "quotaCalls"),
    "renewal-period": namedValueRef(s.serverName, "quotaPeriod"),
    "counter-key": expr(appKey),
  };
  return {
    id: "limitCallerAndClientApp",
    section: "inbound",
    controls: [19],
    nodes: [
      el("rate-limit-by-key", {
        calls: namedValueRef(s.serverName, "callerCalls"),
        "renewal-period": namedValueRef(s.serverName, "callerPeriod"),
        "counter-key": expr(`${csString(`mcp:${s.serverName}:caller:`)} + ${strVar(Vars.caller)}`),
        "retry-after-variable-name": Vars.retryAfter,
      }),
      s.gatewayTierFamily === "classic"
        ? el("quota-by-key", appLimit)
        : el("rate-limit-by-key", { ...appLimit, "retry-after-variable-name": Vars.retryAfter }),
    ],
  };
}
