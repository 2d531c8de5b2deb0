/**
 * The emulator's own semantics, on small hand-written documents: if these drift, the attack matrix proves
 * nothing. Each case states the documented APIM behaviour it pins.
 */
import { GatewayEmulator, type BackendRequest, type EmulatorDocuments } from "./gateway";
import { claimsFor, generateTestKey, signToken } from "./tokens";

const key = generateTestKey();
const TENANT = "11111111-1111-1111-1111-111111111111";

async function emulator(documents: EmulatorDocuments, namedValues: Record<string, string> = {}): Promise<{ gw: GatewayEmulator; backend: BackendRequest[] }> {
  const backend: BackendRequest[] = [];
  const gw = new GatewayEmulator({
    documents,
    namedValues,
    gatewayHost: "gw.example.net",
    api: { id: "api", name: "api", path: "api" },
    backends: { be: "https://backend.example.net" },
    signingKeys: [key.publicKey],
    backend: (r) => {
      backend.push(r);
      return { status: 200, headers: { "X-Backend": "1" }, body: "ok" };
    },
    clock: { now: 1_900_000_000 },
  });
  await gw.start();
  return { gw, backend };
}

const GLOBAL = `<policies>
  <inbound><set-header name="X-Order" exists-action="append"><value>global</value></set-header></inbound>
  <backend><forward-request /></backend>
  <outbound><set-header name="X-Out" exists-action="append"><value>global</value></set-header></outbound>
  <on-error />
</policies>`;

describe("GatewayEmulator", () => {
  const started: GatewayEmulator[] = [];
  afterAll(() => started.forEach((g) => g.stop()));
  const start = async (...args: Parameters<typeof emulator>): ReturnType<typeof emulator> => {
    const e = await emulator(...args);
    started.push(e.gw);
    return e;
  };

  it("resolves <base/> per section in scope order and skips the parent where a section has no <base/>", async () => {
    const { gw, backend } = await start({
      global: GLOBAL,
      api: `<policies>
        <inbound><base /><set-header name="X-Order" exists-action="append"><value>api</value></set-header><set-backend-service backend-id="be" /></inbound>
        <backend><base /></backend>
        <outbound><set-header name="X-Out" exists-action="append"><value>api</value></set-header></outbound>
        <on-error><base /></on-error>
      </policies>`,
    });
    const r = await gw.send({ method: "GET", path: "/api/x", query: { a: "1" } });
    expect(backend[0]!.headers["x-order"]).toEqual(["global", "api"]);
    expect(backend[0]!.url).toBe("https://backend.example.net/x?a=1");
    expect(r.response.headers["x-out"]).toEqual(["api"]); // outbound without <base/>: global outbound skipped
    expect(r.response.headers["x-backend"]).toEqual(["1"]);
  });

  it("fails loudly on an element or attribute it does not know, and on a policy in a section the reference forbids", async () => {
    const doc = (inbound: string): EmulatorDocuments => ({ api: `<policies><inbound>${inbound}</inbound><backend /><outbound /><on-error /></policies>` });
    await expect((await start(doc("<xml-to-json />"))).gw.send({ method: "GET", path: "/api" })).rejects.toThrow(/does not implement <xml-to-json>/);
    await expect((await start(doc('<set-header name="a" exists-action="override" bogus="1"><value>x</value></set-header>'))).gw.send({ method: "GET", path: "/api" })).rejects.toThrow(
      /does not document: bogus/,
    );
    await expect((await start(doc("<forward-request />"))).gw.send({ method: "GET", path: "/api" })).rejects.toThrow(/not allowed in the inbound section/);
    await expect((await start(doc('<set-variable name="@(&quot;x&quot;)" value="1" />'))).gw.send({ method: "GET", path: "/api" })).rejects.toThrow(
      /does not allow policy expressions/,
    );
  });

  it("runs an included fragment inline (its return-response ends the request, outbound skipped) and fails on an unknown fragment id", async () => {
    const api = (inbound: string) => `<policies>
        <inbound><base />${inbound}<set-backend-service backend-id="be" /></inbound>
        <backend><base /></backend>
        <outbound><base /></outbound>
        <on-error><base /></on-error>
      </policies>`;
    const fragment = `<fragment>
        <set-header name="X-Order" exists-action="append"><value>@(context.Variables.GetValueOrDefault&lt;string&gt;("who", ""))</value></set-header>
        <choose><when condition="@(context.Request.Url.Path.EndsWith(&quot;stop&quot;))">
          <return-response><set-status code="@(int.Parse(&quot;418&quot;))" reason="Teapot" /><set-header name="X-Gone" exists-action="@(context.Variables.ContainsKey(&quot;none&quot;) ? &quot;override&quot; : &quot;delete&quot;)"><value>x</value></set-header></return-response>
        </when></choose>
      </fragment>`;
    const { gw, backend } = await start({ global: GLOBAL, api: api(`<set-variable name="who" value="fragment" /><include-fragment fragment-id="shared" />`), fragments: { shared: fragment } });
    await gw.send({ method: "GET", path: "/api/go" });
    expect(backend[0]!.headers["x-order"]).toEqual(["global", "fragment"]);
    const stopped = await gw.send({ method: "GET", path: "/api/stop" });
    expect({ status: stopped.response.status, reason: stopped.response.reason, backend: stopped.backendRequest }).toEqual({ status: 418, reason: "Teapot", backend: undefined });
    expect(stopped.response.headers["x-out"]).toBeUndefined();
    expect(stopped.response.headers["x-gone"]).toBeUndefined();
    const missing = await start({ api: api(`<include-fragment fragment-id="missing" />`), fragments: { shared: fragment } });
    await expect(missing.gw.send({ method: "GET", path: "/api/go" })).rejects.toThrow(/no fragment 'missing'/);
  });

  it("runs C# for real: a thrown exception goes to on-error with context.LastError set", async () => {
    const { gw, backend } = await start({
      api: `<policies>
        <inbound><set-variable name="n" value="@(int.Parse(context.Request.Headers.GetValueOrDefault(&quot;X-N&quot;, &quot;&quot;)))" /></inbound>
        <backend><forward-request /></backend><outbound />
        <on-error><return-response><set-status code="418" /><set-body>@(context.LastError.Source + &quot;|&quot; + context.LastError.Reason)</set-body></return-response></on-error>
      </policies>`,
    });
    const r = await gw.send({ method: "GET", path: "/api", headers: { "X-N": "not a number" } });
    expect(r.response.status).toBe(418);
    expect(r.response.body).toBe("set-variable|ExpressionValueEvaluationFailure");
    expect(backend).toHaveLength(0);
  });

  it("empties the forwarded body when an expression reads it without preserveContent", async () => {
    const doc = (preserve: boolean): EmulatorDocuments => ({
      api: `<policies><inbound><set-variable name="b" value="@(context.Request.Body.As&lt;string&gt;(preserveContent: ${preserve}))" /><set-backend-service backend-id="be" /></inbound>
        <backend><forward-request /></backend><outbound /><on-error /></policies>`,
    });
    const lost = await start(doc(false));
    await lost.gw.send({ method: "POST", path: "/api", body: { a: 1 } });
    expect(lost.backend[0]!.body).toBe("");
    const kept = await start(doc(true));
    await kept.gw.send({ method: "POST", path: "/api", body: { a: 1 } });
    expect(kept.backend[0]!.body).toBe('{"a":1}');
  });

  it("evaluates a choose's conditions in order up to the first that holds; a body one of them read is gone for the next", async () => {
    const when = (condition: string, body: string): string =>
      `<when condition="${condition}"><return-response><set-status code="200" reason="OK" /><set-body>${body}</set-body></return-response></when>`;
    const { gw } = await start({
      api: `<policies><inbound><choose>
        ${when("@{ context.Trace(&quot;a&quot;); return false; }", "A")}
        ${when("@(context.Request.Body.As&lt;string&gt;() == &quot;never&quot;)", "B")}
        ${when("@{ context.Trace(&quot;c&quot;); return context.Request.Body.As&lt;string&gt;(preserveContent: true) == &quot;&quot;; }", "C")}
        ${when("@{ context.Trace(&quot;d&quot;); return true; }", "D")}
        <otherwise><return-response><set-status code="500" reason="Internal Server Error" /></return-response></otherwise>
      </choose></inbound><backend /><outbound /><on-error /></policies>`,
    });
    const r = await gw.send({ method: "POST", path: "/api", body: "some body" });
    expect(r.response.body).toBe("C");
    expect(r.traces.filter((t) => t.source === "context.Trace").map((t) => t.message)).toEqual(["a", "c"]);
  });

  it("refuses set-variable values of a type the reference does not allow", async () => {
    const { gw } = await start({
      api: `<policies><inbound><set-variable name="v" value="@(new string[] { &quot;a&quot; })" /></inbound><backend /><outbound /><on-error /></policies>`,
    });
    const r = await gw.send({ method: "GET", path: "/api" });
    expect(r.lastError?.message).toMatch(/System.String\[\].*not among the documented allowed types/);
    expect(r.response.status).toBe(500);
  });

  it("substitutes named values before compiling, and validates tokens with the documented reasons", async () => {
    const { gw } = await start(
      {
        api: `<policies><inbound>
          <validate-jwt header-name="Authorization" require-scheme="Bearer" output-token-variable-name="jwt">
            <openid-config url="https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration" />
            <audiences><audience>{{aud}}</audience></audiences>
            <issuers><issuer>https://login.microsoftonline.com/${TENANT}/v2.0</issuer></issuers>
          </validate-jwt>
          <return-response><set-status code="200" /><set-body>@(context.Variables.GetValueOrDefault&lt;Jwt&gt;(&quot;jwt&quot;).Claims.GetValueOrDefault(&quot;oid&quot;, &quot;&quot;) + &quot;/{{aud}}&quot;)</set-body></return-response>
        </inbound><backend /><outbound />
        <on-error><return-response><set-status code="401" /><set-body>@(context.LastError.Reason)</set-body></return-response></on-error></policies>`,
      },
      { aud: "api://app" },
    );
    const now = 1_900_000_000;
    const token = (o: Partial<Parameters<typeof claimsFor>[0]> = {}): string =>
      signToken(key, claimsFor({ tenantId: TENANT, audience: "api://app", clientAppId: "c", oid: "o1", now, ...o }));
    const call = async (t: string): Promise<string> => (await gw.send({ method: "GET", path: "/api", headers: { Authorization: `Bearer ${t}` } })).response.body;
    expect(await call(token())).toBe("o1/api://app");
    expect(await call(token({ audience: "api://other" }))).toBe("TokenAudienceNotAllowed");
    expect(await call(token({ lifetimeSeconds: -10 }))).toBe("TokenExpired");
    expect(await call(token({ notBeforeOffsetSeconds: 30 }))).toBe("TokenNotYetValid");
    expect(await call(token({ version: 1 }))).toBe("TokenIssuerNotAllowed");
    expect(await call(signToken(generateTestKey(), claimsFor({ tenantId: TENANT, audience: "api://app", clientAppId: "c", oid: "o1", now })))).toBe("TokenSignatureInvalid");
    expect((await gw.send({ method: "GET", path: "/api" })).response.body).toBe("TokenNotPresent");
  });

  it("validate-azure-ad-token pins the tenant in both issuer forms, the audiences and the client applications", async () => {
    const { gw } = await start({
      api: `<policies><inbound>
        <validate-azure-ad-token tenant-id="${TENANT}" output-token-variable-name="jwt">
          <client-application-ids><application-id>c-ok</application-id></client-application-ids>
          <audiences><audience>api://app</audience></audiences>
        </validate-azure-ad-token>
        <return-response><set-status code="200" /><set-body>@(context.Variables.GetValueOrDefault&lt;Jwt&gt;(&quot;jwt&quot;).Issuer)</set-body></return-response>
      </inbound><backend /><outbound />
      <on-error><return-response><set-status code="401" /><set-body>@(context.LastError.Source + &quot;:&quot; + context.LastError.Reason)</set-body></return-response></on-error></policies>`,
    });
    const now = 1_900_000_000;
    const call = async (o: Partial<Parameters<typeof claimsFor>[0]>): Promise<string> =>
      (
        await gw.send({
          method: "GET",
          path: "/api",
          headers: { Authorization: `Bearer ${signToken(key, claimsFor({ tenantId: TENANT, audience: "api://app", clientAppId: "c-ok", oid: "o1", now, ...o }))}` },
        })
      ).response.body;
    expect(await call({})).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0`);
    expect(await call({ version: 1 })).toBe(`https://sts.windows.net/${TENANT}/`);
    expect(await call({ tenantId: "99999999-9999-9999-9999-999999999999" })).toBe("validate-azure-ad-token:TokenIssuerNotAllowed");
    expect(await call({ audience: "https://graph.microsoft.com" })).toBe("validate-azure-ad-token:TokenAudienceNotAllowed");
    expect(await call({ clientAppId: "c-other" })).toBe("validate-azure-ad-token:TokenClientApplicationNotAllowed");
  });
});
