import { compileExpressions, extractExpressions, formatErrors } from "./expressions";

const GOOD = `<policies>
  <inbound>
    <set-variable name="sub" value="@(context.Request.Headers.GetValueOrDefault(&quot;Authorization&quot;, &quot;&quot;).AsJwt()?.Subject)" />
    <choose>
      <when condition="@(context.Variables.GetValueOrDefault&lt;string&gt;(&quot;sub&quot;, &quot;&quot;) == &quot;{{expected-sub}}&quot;)">
        <set-header name="x-tool" exists-action="override"><value>@{
          var body = context.Request.Body.As&lt;JObject&gt;(preserveContent: true);
          return (string)body["params"]?["name"] ?? "";
        }</value></set-header>
      </when>
    </choose>
    <set-header name="literal" exists-action="override"><value>not an @(expression)</value></set-header>
  </inbound>
</policies>`;

describe("extractExpressions", () => {
  it("finds whole-value expressions and blocks with their XPath, substituting named values", () => {
    const exprs = extractExpressions(GOOD, { document: "api", namedValues: { "expected-sub": "alice" } });
    expect(exprs.map((e) => [e.location, e.kind, e.expectedType])).toEqual([
      ["/policies[1]/inbound[1]/set-variable[1]/@value", "expression", undefined],
      ["/policies[1]/inbound[1]/choose[1]/when[1]/@condition", "expression", "bool"],
      ["/policies[1]/inbound[1]/choose[1]/when[1]/set-header[1]/value[1]/text()", "block", undefined],
    ]);
    expect(exprs[1]!.code).toContain('== "alice"');
    expect(exprs[0]!.code).toBe('context.Request.Headers.GetValueOrDefault("Authorization", "").AsJwt()?.Subject');
  });

  it("refuses a document whose named values are not all provided", () => {
    expect(() => extractExpressions(GOOD, { document: "api" })).toThrow(/named values referenced but not provided: expected-sub/);
  });

  it("refuses XML that is not well-formed", () => {
    expect(() => extractExpressions("<policies><inbound></policies>")).toThrow(/not well-formed/);
  });
});

describe("compileExpressions", () => {
  it("compiles documented context members in one mcs run", () => {
    const exprs = extractExpressions(GOOD, { document: "api", namedValues: { "expected-sub": "alice" } });
    const result = compileExpressions(exprs);
    expect(formatErrors(result.errors)).toBe("");
    expect(result.ok).toBe(true);
    expect(result.assemblyPath).toMatch(/\.exe$/);
  });

  it("reports each bad expression at its location, even when another one has a syntax error", () => {
    const bad = `<policies><inbound>
      <set-variable name="a" value="@(context.Request.Headerz.Count)" />
      <set-variable name="b" value="@(context.Request.Method ==)" />
      <choose><when condition="@(context.Request.Method)"><base /></when></choose>
      <set-variable name="c" value="@{ if (context.Request.Method == &quot;GET&quot;) { return 1; } }" />
      <set-variable name="ok" value="@(context.Request.Url.Query.GetValueOrDefault(&quot;x&quot;, &quot;&quot;))" />
    </inbound></policies>`;
    const result = compileExpressions(extractExpressions(bad, { document: "api" }));
    expect(result.ok).toBe(false);
    const byLocation = new Map(result.errors.map((e) => [e.location, e.code]));
    expect(byLocation.get("/policies[1]/inbound[1]/set-variable[1]/@value")).toBe("CS1061"); // no member Headerz
    expect(byLocation.get("/policies[1]/inbound[1]/set-variable[2]/@value")).toBe("CS1525"); // syntax
    expect(byLocation.get("/policies[1]/inbound[1]/choose[1]/when[1]/@condition")).toBe("CS0029"); // string is not bool
    expect(byLocation.get("/policies[1]/inbound[1]/set-variable[3]/@value")).toBe("CS0161"); // not all paths return
    expect(byLocation.has("/policies[1]/inbound[1]/set-variable[4]/@value")).toBe(false);
  });

  it("compiles identical expressions once and reports an error at every location that uses it", () => {
    const xml = `<policies><inbound>
      <set-variable name="a" value="@(context.Request.Nope)" />
      <set-variable name="b" value="@(context.Request.Nope)" />
      <set-variable name="c" value="@(context.Request.Method)" />
    </inbound></policies>`;
    const result = compileExpressions(extractExpressions(xml));
    expect(result.methodOf).toEqual([0, 0, 1]);
    expect(result.errors.map((e) => e.location)).toEqual(["/policies[1]/inbound[1]/set-variable[1]/@value", "/policies[1]/inbound[1]/set-variable[2]/@value"]);
  });
});
