import { compileExpressions, formatErrors } from "../../support/apim/expressions";
import { kitExpressions } from "./fixtures";

describe("policy expressions compile against the documented APIM context model", () => {
  it("compiles every expression of every document", () => {
    const exprs = kitExpressions();
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
