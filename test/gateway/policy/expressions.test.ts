import { buildGlobalPolicy, buildMcpApiPolicy, buildPrmPolicy, buildRefusalFragment, mcpNamedValues, type McpPolicySettings } from "../../../infra/gateway/policy";
import { compileExpressions, extractExpressions, formatErrors, type PolicyExpression } from "../../support/apim/expressions";
import { CLIENT_ID, RESOURCE, settings } from "./fixtures";

/** Every @(...) / @{...} of every document, for the variants that change which expressions are emitted. */
function expressionsOf(s: McpPolicySettings, tag: string): PolicyExpression[] {
  const namedValues = Object.fromEntries(mcpNamedValues(s).map((v) => [v.displayName, v.value]));
  return [
    ...extractExpressions(buildMcpApiPolicy(s), { document: `api(${tag})`, namedValues }),
    ...extractExpressions(buildPrmPolicy(s), { document: `prm(${tag})`, namedValues }),
  ];
}

describe("policy expressions compile against the documented APIM context model", () => {
  it("compiles every expression of every document", () => {
    const exprs = [
      ...expressionsOf(settings({ allowedClientAppIds: ["12345678-1234-1234-1234-123456789012"], allowedOrigins: ["https://app.contoso.com"], enableCors: true }), "full"),
      ...expressionsOf(settings({ contentSafety: { endpoint: "https://cs.cognitiveservices.azure.com", failOpen: true }, allowMissingProtocolVersion: true }), "open"),
      ...expressionsOf(settings({ allowClientResponses: false, gatewayTierFamily: "classic", acceptedTokenVersions: [1, 2], audiences: [RESOURCE, CLIENT_ID] }), "strict"),
      ...extractExpressions(buildGlobalPolicy(), { document: "global" }),
      ...extractExpressions(buildRefusalFragment(), { document: "refusal fragment" }),
    ];
    expect(exprs.length).toBeGreaterThan(100);
    const result = compileExpressions(exprs);
    expect(formatErrors(result.errors)).toBe("");
    expect(result.ok).toBe(true);
  });

  it("would catch a broken expression (the harness is live)", () => {
    const result = compileExpressions([{ document: "probe", location: "/x", kind: "expression", code: "context.Variables.GetValueOrDefault<Jwt>(\"mcpToken\").NoSuchMember" }]);
    expect(result.ok).toBe(false);
  });
});
