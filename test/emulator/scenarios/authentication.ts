/**
 * Authentication: no token, wrong tenant, issuer or audience, unsigned, tampered and forged tokens, ID-token shaped
 * tokens, credentials in the query string, a session id without a token, and the baseline scope.
 */
import { expect } from "@jest/globals";
import { CLIENT_APP, OTHER_TENANT, RESOURCE, SERVER_APP_ID, SIBLING_RESOURCE, TENANT, newUser, rpc } from "../fixture";
import { claimsFor, impostorKey, signToken, tamperedToken, unsignedToken } from "../tokens";
import { expectChallenge, expectRefused, expectRefusedWith, invalidToken, type Scenario } from "../assertions";

export const authenticationScenarios: Scenario[] = [
  {
    name: "no token: 401 with resource_metadata and scope in WWW-Authenticate",
    run: async (h) => {
      const r = await h.post(null, rpc("tools/list"));
      expectRefused(r, 401, -32001);
      expectChallenge(r, false);
    },
  },
  { name: "expired token: 401 invalid_token", run: (h) => invalidToken(h, h.token(newUser(), { lifetimeSeconds: -120 })) },
  { name: "not-yet-valid token: 401 invalid_token", run: (h) => invalidToken(h, h.token(newUser(), { notBeforeOffsetSeconds: 600 })) },
  {
    name: "token from another tenant (signed by the same authority keys): 401",
    run: (h) => invalidToken(h, h.token(newUser(), { tenantId: OTHER_TENANT })),
  },
  {
    name: "token with this tenant's v1 issuer when only v2 is accepted: 401",
    // aud is the client id, which this server accepts: only the issuer pin refuses it.
    run: (h) => invalidToken(h, h.token(newUser(), { version: 1, audience: SERVER_APP_ID })),
  },
  {
    name: "token with a foreign issuer but this tenant's tid claim: 401",
    run: (h) => invalidToken(h, h.token(newUser(), { issuer: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })),
  },
  { name: "Microsoft Graph token (wrong audience): 401", run: (h) => invalidToken(h, h.token(newUser(), { audience: "https://graph.microsoft.com" })) },
  {
    name: "v2 token carrying the application ID URI as aud (Entra v2 tokens carry the client id): 401",
    run: (h) => invalidToken(h, h.token(newUser(), { audience: RESOURCE })),
  },
  { name: "token for a sibling MCP server (wrong audience): 401", run: (h) => invalidToken(h, h.token(newUser(), { audience: SIBLING_RESOURCE })) },
  {
    name: "unsigned token (alg none): 401",
    run: (h) =>
      invalidToken(h, unsignedToken(claimsFor({ tenantId: TENANT, audience: RESOURCE, clientAppId: CLIENT_APP, oid: newUser().oid, scopes: ["tools.read"], now: h.clock.now }))),
  },
  {
    name: "tampered token (app role added after signing): 401",
    run: (h) => invalidToken(h, tamperedToken(h.token(newUser()), { roles: ["Tools.Admin"] })),
  },
  {
    name: "token signed by the attacker's own key: 401",
    run: async (h) => {
      const attacker = impostorKey(h.key.kid);
      await invalidToken(h, signToken(attacker, claimsFor({ tenantId: TENANT, audience: RESOURCE, clientAppId: CLIENT_APP, oid: newUser().oid, scopes: ["tools.read"], now: h.clock.now })));
    },
  },
  {
    name: "a validly signed token without an object id or client application (ID-token shaped): 401",
    run: async (h) => {
      for (const missing of [["oid", "sub"], ["azp"]]) {
        const claims = claimsFor({ tenantId: TENANT, audience: SERVER_APP_ID, clientAppId: CLIENT_APP, oid: newUser().oid, scopes: ["tools.read"], now: h.clock.now });
        for (const c of missing) delete claims[c];
        const r = await h.post(signToken(h.key, claims), rpc("tools/list"));
        expectRefused(r, 401, -32001);
        expectChallenge(r, true);
      }
    },
  },
  {
    name: "token in the query string: 400 and nothing forwarded, even with a valid header token",
    run: async (h) => {
      const u = newUser();
      const r = await h.post(u, rpc("tools/list"), {}, { query: { access_token: h.token(u) } });
      expectRefused(r, 400, -32600);
    },
  },
  {
    name: "other credentials in the query string (refresh_token, client_secret, assertion): 400, nothing forwarded",
    run: async (h) => {
      const before = h.backendCalls.length;
      for (const name of ["refresh_token", "client_secret", "client_assertion", "Assertion"]) {
        const r = await h.post(newUser(), rpc("tools/list"), {}, { query: { [name]: "secret-value" } });
        expectRefusedWith(h, r, 400, -32600, "The MCP endpoint takes no query string; send credentials only in the Authorization header.", before);
      }
    },
  },
  {
    name: "a session id without a token is not authentication: 401",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const r = await h.post(null, rpc("tools/list"), { "Mcp-Session-Id": sid });
      expectRefused(r, 401, -32001);
    },
  },
  {
    name: "a token without the baseline scope or any tool role: 403 insufficient_scope",
    run: async (h) => {
      const r = await h.post(newUser(["profile.read"]), rpc("tools/list"));
      expectRefused(r, 403, -32003);
      expect(r.response.headers["www-authenticate"]?.[0]).toContain('error="insufficient_scope"');
    },
  },
];
