import { allowedTypeTable, clrName, DOCUMENTED_TYPES } from "../../support/apim/allowedTypes";
import { compileExpressions, formatErrors, type PolicyExpression } from "../../support/apim/expressions";
import { checkAllowedTypes, formatViolations, violationOf, type AllowedTypeViolation } from "../../support/apim/typeRefs";
import { kitExpressions } from "./fixtures";

const probe = (location: string, code: string, kind: PolicyExpression["kind"] = "expression"): PolicyExpression => ({ document: "probe", location, kind, code });

/** Each probe's violations as `Type` or `Type::member`, by location. */
function violationsByProbe(probes: readonly PolicyExpression[]): Record<string, string[]> {
  const result = compileExpressions(probes);
  expect(formatErrors(result.errors)).toBe("");
  const by: Record<string, string[]> = Object.fromEntries(probes.map((p) => [p.location, [] as string[]]));
  checkAllowedTypes(probes, result).forEach((v: AllowedTypeViolation) => by[v.location]!.push(v.member ? `${v.type}::${v.member}` : v.type));
  return by;
}

describe("policy expressions use only the .NET types APIM allows", () => {
  it("every expression of every document stays inside the allowed list", () => {
    const exprs = kitExpressions();
    expect(exprs.length).toBeGreaterThan(100);
    const result = compileExpressions(exprs);
    expect(result.ok).toBe(true);
    expect(formatViolations(checkAllowedTypes(exprs, result))).toBe("");
  });

  it("catches disallowed types and members, also inside lambdas and closures, and passes listed ones", () => {
    const by = violationsByProbe([
      probe("/file", 'System.IO.File.ReadAllText("/etc/passwd")'),
      probe("/webclient", 'new System.Net.WebClient().DownloadString("http://169.254.169.254/")'),
      probe("/datetime-member", "DateTime.FromBinary(0L).ToString()"),
      probe("/regex-member", 'Regex.Escape("a.b")'),
      probe("/lambda", 'new[] { "/a" }.Any(p => System.IO.File.Exists(p))'),
      probe("/closure", 'string root = "/"; return new[] { "a" }.Select(p => System.IO.Directory.Exists(root + p)).ToList().Count;', "block"),
      probe("/reflection", "context.GetType().Assembly.FullName"),
      probe("/model-implementation", "(context.Request.Headers as MultiValueDictionary) != null"),
      probe("/jwt-setter", 'Jwt j = "x".AsJwt(); j.Subject = "forged"; return j.Subject;', "block"),
      probe("/xdocument-load", 'XDocument.Load("/etc/hosts").ToString()'),
      probe("/allowed", 'DateTime.UtcNow.AddMinutes(5).ToString("o") + Regex.Match("ab", "(?<x>b)").Groups["x"].Value + new[] { 1, 2 }.Select(i => i * 2).Sum() + context.Request.Headers.GetValueOrDefault("a", "").AsJwt()?.Subject'),
    ]);
    expect(by).toEqual({
      "/file": ["System.IO.File"],
      "/webclient": ["System.Net.WebClient"],
      "/datetime-member": ["System.DateTime::FromBinary"],
      "/regex-member": ["System.Text.RegularExpressions.Regex::Escape"],
      "/lambda": ["System.IO.File"],
      "/closure": ["System.IO.Directory"],
      "/reflection": expect.arrayContaining(["System.Object::GetType", "System.Type", "System.Reflection.Assembly"]),
      "/model-implementation": ["Apim.Model.MultiValueDictionary"],
      "/jwt-setter": ["Apim.Model.Jwt::set_Subject"],
      "/xdocument-load": ["System.Xml.Linq.XDocument::Load"],
      "/allowed": [],
    });
  });

  it("reads the doc's names as the CLR spells them", () => {
    const table = allowedTypeTable();
    expect(Object.keys(DOCUMENTED_TYPES)).toHaveLength(129) // the rows of the doc's table;
    expect(clrName("System.Collections.Generic.Dictionary<TKey, TValue>", new Set())).toBe("System.Collections.Generic.Dictionary`2");
    expect(table.has("System.TimeZoneInfo+AdjustmentRule")).toBe(true);
    expect(violationOf({ type: "System.Collections.Generic.List`1+Enumerator", member: "MoveNext" }, table)).toBeUndefined();
    expect(violationOf({ type: "System.DateTime", member: "get_UtcNow" }, table)).toBeUndefined();
    expect(violationOf({ type: "System.DateTime", member: "get_Kind" }, table)).toEqual({ type: "System.DateTime", member: "get_Kind" });
    expect(violationOf({ type: "Newtonsoft.Json.JsonConverter", member: "WriteJson" }, table)).toEqual({ type: "Newtonsoft.Json.JsonConverter", member: "WriteJson" });
  });
});
