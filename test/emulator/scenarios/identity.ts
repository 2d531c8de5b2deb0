/**
 * Identity towards the backend: client-sent identity headers replaced or removed, look-alikes refused, and the
 * client's Authorization header never forwarded.
 */
import { expect } from "@jest/globals";
import { newUser, rpc } from "../fixture";
import { expectForwarded, expectRefusedWith, type Scenario } from "../assertions";

export const identityScenarios: Scenario[] = [
  {
    name: "client-sent identity headers are replaced or removed before the backend",
    run: async (h) => {
      const u = newUser();
      const r = await h.post(u, rpc("tools/list"), {
        "X-MCP-Caller-Oid": "victim-oid",
        "X-MCP-Caller-Roles": "Tools.Admin",
        "X-MS-CLIENT-PRINCIPAL-ID": "victim",
        "X-Forwarded-User": "victim@contoso.com",
        "X-MS-TOKEN-AAD-ACCESS-TOKEN": "stolen",
        Cookie: "session=victim",
      });
      expectForwarded(h, r, u.oid);
      // The gateway's own value (the caller has no roles), never the client's.
      expect((r.backendRequest!.headers["x-mcp-caller-roles"] ?? []).join("")).toBe("");
      expect(r.backendRequest!.headers["x-ms-client-principal-id"]).toBeUndefined();
      expect(r.backendRequest!.headers["x-forwarded-user"]).toBeUndefined();
      expect(r.backendRequest!.headers["x-ms-token-aad-access-token"]).toBeUndefined();
      expect(r.backendRequest!.headers["cookie"]).toBeUndefined();
    },
  },
  {
    name: "look-alike identity headers (X_MCP_Caller_Oid, a trailing space, X-MS-CLIENT-PRINCIPAL-*): 400, nothing forwarded",
    run: async (h) => {
      const before = h.backendCalls.length;
      const lookAlikes: Record<string, string>[] = [
        { X_MCP_Caller_Oid: "victim-oid" },
        { "X-MCP-Caller-Oid ": "victim-oid" },
        { "X-MCP_Caller-Roles": "Tools.Admin" },
        { "XMCP-Caller-Tenant": "victim-tenant" },
        { "X-MCP-Caller-Upn": "victim@contoso.com" },
        { X_MS_CLIENT_PRINCIPAL_ID: "victim" },
        { "X-MS-CLIENT-PRINCIPAL-GROUPS": "admins" },
        { "X-MS-TOKEN-AAD-REFRESH-TOKEN": "stolen" },
        { X_Forwarded_User: "victim@contoso.com" },
      ];
      for (const headers of lookAlikes) {
        const r = await h.post(newUser(), rpc("tools/list"), headers);
        expectRefusedWith(h, r, 400, -32600, "Request header not allowed.", before);
        // A name with a space is not an HTTP token: the header allow-list refuses it before identity is looked at.
        const decision = Object.keys(headers)[0]!.includes(" ") ? "deny:header-name" : "deny:identity-header";
        expect(r.metrics.map((m) => m.dimensions.decision)).toEqual([decision]);
      }
      // Exact names are deleted and replaced (previous scenario); other X-MS- headers (SDK request ids) pass.
      const u = newUser();
      const ok = await h.post(u, rpc("tools/list"), { "x-ms-client-request-id": "0f8fad5b-d9cb-469f-a165-70867728950e", "X-MCP-Caller-Oid": "victim" });
      expectForwarded(h, ok, u.oid);
      expect(ok.backendRequest!.headers["x-ms-client-request-id"]).toEqual(["0f8fad5b-d9cb-469f-a165-70867728950e"]);
    },
  },
  {
    name: "the client's Authorization header never reaches the backend",
    run: async (h) => {
      const u = newUser();
      const clientToken = h.token(u);
      const r = await h.post(clientToken, rpc("tools/list"));
      expectForwarded(h, r, u.oid);
      const sent = JSON.stringify(r.backendRequest);
      expect(sent).not.toContain(clientToken);
      expect(sent).not.toContain(clientToken.split(".")[2]!);
    },
  },
];
