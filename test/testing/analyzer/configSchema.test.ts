import { schemaErrors } from "../../../testing/analyzer/configSchema";
import { configErrors, reconcile } from "../../../testing/analyzer/engineConfig";
import { analyzerPb, structPb } from "../../../testing/analyzer/proto";

/** The engine validates each policy's reconciled config against its schema before Configure (pulumi/pulumi config.go). */
function info(policies: { name: string; properties?: Record<string, unknown>; required?: string[] }[]) {
  const result = new analyzerPb.AnalyzerInfo();
  result.setName("pack");
  result.setPoliciesList(
    policies.map((p) => {
      const policy = new analyzerPb.PolicyInfo();
      policy.setName(p.name);
      policy.setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY);
      if (p.properties) {
        const schema = new analyzerPb.PolicyConfigSchema();
        schema.setProperties(structPb.Struct.fromJavaScript(p.properties as Parameters<typeof structPb.Struct.fromJavaScript>[0]));
        schema.setRequiredList(p.required ?? []);
        policy.setConfigschema(schema);
      }
      return policy;
    }),
  );
  return result;
}

describe("policy config validation as the engine does it", () => {
  const pack = info([
    {
      name: "skus",
      properties: {
        allowedSkus: { type: "array", items: { type: "string", enum: ["StandardV2", "Premium"] } },
        reason: { type: "string", minLength: 10 },
        expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
        limit: { type: "integer", minimum: 1, maximum: 5 },
      },
      required: ["reason"],
    },
    { name: "plain" },
  ]);

  it("accepts a config its schema allows, and a policy without a schema", () => {
    const config = reconcile(pack, { skus: { enforcementLevel: "", properties: { allowedSkus: ["Premium"], reason: "ten chars!", limit: 3 } }, plain: { enforcementLevel: "advisory" } });
    expect(configErrors(pack, config)).toEqual([]);
  });

  it("reports every error, each with the policy, the property path and the problem", () => {
    const config = reconcile(pack, {
      skus: { enforcementLevel: "", properties: { allowedSkus: ["Basic", 3], expires: "31.12.2026", limit: 7 } },
    });
    expect(configErrors(pack, config)).toEqual([
      "skus: (root): reason is required",
      "skus: allowedSkus.0: allowedSkus.0 must be one of the following: \"StandardV2\", \"Premium\"",
      "skus: allowedSkus.1: Invalid type. Expected: string, given: integer",
      "skus: expires: Does not match pattern '^\\d{4}-\\d{2}-\\d{2}$'",
      "skus: limit: Must be less than or equal to 5",
    ]);
  });

  it("checks nested objects, additionalProperties and minLength, and refuses a keyword it does not emulate", () => {
    const schema = { type: "object", properties: { e: { type: "object", properties: { reason: { type: "string", minLength: 3 } }, additionalProperties: false } } };
    expect(schemaErrors(schema, { e: { reason: "ab", extra: 1 } })).toEqual(["e.reason: String length must be greater than or equal to 3", "e: Additional property extra is not allowed"]);
    expect(() => schemaErrors({ oneOf: [] }, 1)).toThrow(/keyword "oneOf" .* not emulated/);
  });
});
