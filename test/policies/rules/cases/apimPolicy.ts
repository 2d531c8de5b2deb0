import type { PolicyResource } from "@pulumi/policy";
import { res, RuleCases, UNKNOWN } from "../harness";

const API = "azure-native:apimanagement:Api";
const API_POLICY = "azure-native:apimanagement:ApiPolicy";
const SERVICE_POLICY = "azure-native:apimanagement:Policy";
const OPERATION = "azure-native:apimanagement:ApiOperation";
const BACKEND = "azure-native:apimanagement:Backend";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

const TOKEN = `<validate-azure-ad-token tenant-id="${TENANT}" header-name="Authorization">
      <audiences><audience>api://weather</audience></audiences>
    </validate-azure-ad-token>`;
const RATE = `<rate-limit-by-key calls="60" renewal-period="60" counter-key="@(context.Request.IpAddress)" />`;
const STRIP = `<set-header name="Authorization" exists-action="delete" />`;
const ROUTE = `<set-backend-service backend-id="weather-backend" /><authentication-managed-identity resource="api://weather-server" />`;

const WWW_AUTH = `<set-header name="WWW-Authenticate" exists-action="override"><value>Bearer resource_metadata="https://gw/.well-known/oauth-protected-resource/weather"</value></set-header>`;
/** On token failures: 401 with the metadata pointer. */
const ON_ERROR = `<choose><when condition="@(context.LastError.Source == &quot;validate-jwt&quot;)"><return-response><set-status code="401" />${WWW_AUTH}</return-response></when></choose>`;
export const doc = (inbound: string, base = "<base />", onError = ON_ERROR) =>
  `<policies><inbound>${base}${inbound}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base />${onError}</on-error></policies>`;
export const GOOD = doc(`${TOKEN}${RATE}${STRIP}${ROUTE}`);

const weather = (props: Record<string, unknown> = {}) => res(API, "weather-api", { path: "mcp/weather", protocols: ["https"], ...props });
/** The API policy, linked to its API through the `apiId` property dependency (ids unknown at preview). */
const policyFor = (api: PolicyResource, value: unknown, format = "rawxml") =>
  res(API_POLICY, `${api.name}-policy`, { value, format }, { apiId: [api] });
const tools = res(API, "tools", { path: "tools", apiId: "tools" });
const FRAGMENT = "azure-native:apimanagement:PolicyFragment";
/** A shared refusal fragment that sends the challenge a refusal site put in a context variable (the kit's shape). */
const REFUSAL_FRAGMENT = res(FRAGMENT, "mcp-refusal", {
  value: `<fragment><return-response><set-status code="401" /><set-header name="WWW-Authenticate" exists-action="override"><value>@(context.Variables.GetValueOrDefault&lt;string&gt;("mcpRefusalChallenge", ""))</value></set-header></return-response></fragment>`,
  format: "xml",
});
/** The same fragment as the kit deploys it: the generic ARM resource (apimanagement.PolicyFragment's `id` is dropped). */
const GENERIC_REFUSAL_FRAGMENT = res("azure-native:resources:Resource", "refusal-fragment", {
  resourceProviderNamespace: "Microsoft.ApiManagement",
  parentResourcePath: "service/apim",
  resourceType: "policyFragments",
  resourceName: "mcp-refusal",
  apiVersion: "2024-05-01",
  properties: { value: (REFUSAL_FRAGMENT.props as { value: string }).value, format: "xml" },
});
const CHALLENGE_SITE = (challenge: string) =>
  `<choose><when condition="@(!context.Request.Headers.ContainsKey(&quot;Authorization&quot;))"><set-variable name="mcpRefusalChallenge" value="${challenge.replace(/"/g, "&quot;")}" /><include-fragment fragment-id="mcp-refusal" /></when></choose>`;
const opOf = (api: PolicyResource, urlTemplate: string) =>
  res(OPERATION, `${api.name}-op`, { urlTemplate, method: "POST", apiId: UNKNOWN }, { apiId: [api] });
/** The kit's layout: an API at its server path whose MCP endpoint is an operation at /mcp. */
const kitStyle = (value: string | undefined) => {
  const api = res(API, "docs-api", { path: "docs-search", protocols: ["https"] });
  return [api, opOf(api, "/mcp"), ...(value === undefined ? [] : [policyFor(api, value)]), prm(), backend()];
};
const NAMED_VALUE = "azure-native:apimanagement:NamedValue";
const namedValue = (name: string, props: Record<string, unknown>) => res(NAMED_VALUE, `nv-${name}`, { displayName: name, namedValueId: name, ...props });
const KV_SECRET = { secret: true, keyVault: { secretIdentifier: "https://kv.vault.azure.net/secrets/upstream-key", identityClientId: "c" } };
/** Provider token shapes, assembled at run time so the repository holds no token-looking literal. */
const GITHUB_TOKEN = ["ghp", "_", "R7mQ2xV9kL4pT8wZ3nB6cF1hJ5sD0gYaUeIo"].join("");
const SLACK_TOKEN = ["xoxb", "-", "2847562910", "-", "9384756102938", "-", "Qw3Er5Ty7Ui9Op1As3Df5Gh"].join("");
const prm = () => res(OPERATION, "prm", { urlTemplate: "/.well-known/oauth-protected-resource/mcp/weather", method: "GET" });
const backend = (props: Record<string, unknown> = {}) => res(BACKEND, "weather-backend", { url: "https://w", backendId: "weather-backend", ...props });

/** Two MCP APIs whose policies' apiId inputs are unknown (preview), linked only through dependencies. */
const twoServers = (a: string, b: string) => {
  const [apiA, apiB] = [res(API, "a-api", { path: "mcp/a" }), res(API, "b-api", { path: "mcp/b" })];
  const pol = (api: PolicyResource, value: string) => res(API_POLICY, `${api.name}-policy`, { apiId: UNKNOWN, value }, { apiId: [api] });
  return [apiA, apiB, pol(apiA, a), pol(apiB, b), prm(), backend()];
};

/** A stack with one MCP API and its policy (plus the PRM route and backend). */
const stack = (value: unknown, extra: PolicyResource[] = [], api = weather()) => [api, policyFor(api, value), prm(), backend(), ...extra];

export const apimPolicyCases: Record<string, RuleCases> = {
  "azure-apim-mcp-token-validation": {
    pass: [
      { stack: stack(GOOD) },
      { stack: stack(doc(`${RATE}${STRIP}`), [res(SERVICE_POLICY, "global", { value: doc(TOKEN, ""), format: "xml" })]) },
      {
        stack: stack(
          doc(`<validate-jwt header-name="Authorization"><openid-config url="https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration" /><audiences><audience>api://weather</audience></audiences></validate-jwt>`),
        ),
      },
      { stack: [res(API, "health", { path: "health" })] },
      { stack: [weather({ apiId: "weather" }), res(API_POLICY, "p", { apiId: "weather", value: GOOD })] },
      // Preview with two MCP servers: each policy's apiId is unknown and linked only by its dependency.
      { stack: twoServers(GOOD, GOOD) },
      // Metadata APIs are anonymous by design, even with an operation at /mcp (path-suffixed PRM).
      { stack: [res(API, "prm", { path: ".well-known/oauth-protected-resource/docs" }), opOf(res(API, "prm", {}), "/mcp")] },
      // The control in an included fragment (the snapshot may hold the fragment's ARM id).
      {
        stack: [
          ...kitStyle(doc(`<include-fragment fragment-id="mcp-auth" />${RATE}${STRIP}`)),
          res(FRAGMENT, "auth-fragment", { id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/a/policyFragments/mcp-auth", value: `<fragment>${TOKEN}</fragment>` }),
        ],
      },
    ],
    fail: [
      { stack: [weather()], expect: ["[weather-api]", "no API-scope policy"] },
      { stack: stack(doc(RATE)), expect: ["validates no token"] },
      { stack: stack(doc(TOKEN.replace(TENANT, "common"))), expect: ["any tenant"] },
      { stack: stack(doc(`<validate-azure-ad-token tenant-id="${TENANT}" />`)), expect: ["audiences"] },
      {
        stack: stack(doc(`<validate-jwt><openid-config url="https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration" /><audiences><audience>a</audience></audiences></validate-jwt>`)),
        expect: ["multi-tenant"],
      },
      { stack: stack(doc(RATE, ""), [res(SERVICE_POLICY, "global", { value: doc(TOKEN, "") })]), expect: ["validates no token"] },
      {
        stack: stack(doc(`<validate-jwt require-signed-tokens="false"><openid-config url="https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration" /><audiences><audience>a</audience></audiences></validate-jwt>`)),
        expect: ['require-signed-tokens="false"'],
      },
      { stack: [weather(), policyFor(weather(), "https://example.com/policy.xml", "rawxml-link")], expect: ["cannot be verified"] },
      { stack: stack("<policies><inbound>"), expect: ["cannot be read"] },
      { stack: [res(API, "tools", { path: "tools" })], config: { mcpApiIds: ["tools"] }, expect: ["[tools]"] },
      { stack: [res(API, "tools", { path: "agents/tools" })], config: { mcpPathPattern: "^agents/" }, expect: ["[tools]"] },
      { stack: twoServers(GOOD, doc(RATE)), expect: ["[b-api]"] },
      // The kit's layout: API path "docs-search" with its MCP endpoint as an operation at /mcp.
      { stack: kitStyle(doc(RATE)), expect: ["[docs-api]", "validates no token"] },
      { stack: kitStyle(undefined), expect: ["[docs-api]", "no API-scope policy"] },
      // Validation that runs only on some requests is no control.
      { stack: stack(doc(`<choose><when condition="@(true)">${TOKEN}</when></choose>${RATE}${STRIP}`)), expect: ["validates no token"] },
      { stack: kitStyle(doc(`<include-fragment fragment-id="missing" />`)), expect: ["validates no token"] },
    ],
    unknown: [{ stack: stack(UNKNOWN) }, { stack: [weather({ path: UNKNOWN })] }],
  },
  "azure-apim-mcp-strip-authorization": {
    pass: [
      { stack: stack(GOOD) },
      { stack: [res(API, "health", { path: "health" })] },
      { stack: stack(doc(TOKEN)), config: { mcpPathPattern: "^never$" } },
    ],
    fail: [
      { stack: stack(doc(`${TOKEN}${RATE}`)), expect: ["[weather-api]", "Authorization"] },
      { stack: stack(doc(`${TOKEN}<set-header name="Authorization" exists-action="override"><value>x</value></set-header>`)) },
      { stack: [tools, policyFor(tools, doc(TOKEN))], config: { mcpApiIds: ["tools"] }, expect: ["[tools]"] },
    ],
    unknown: [{ stack: stack(UNKNOWN) }],
  },
  "azure-apim-mcp-rate-limit": {
    pass: [
      { stack: stack(GOOD) },
      { stack: stack(doc(TOKEN), [res(SERVICE_POLICY, "global", { value: doc(`<rate-limit calls="10" renewal-period="1" />`, "") })]) },
    ],
    fail: [
      { stack: stack(doc(`${TOKEN}${STRIP}`)), expect: ["no rate limit"] },
      { stack: [tools, policyFor(tools, doc(TOKEN))], config: { mcpApiIds: ["TOOLS"] }, expect: ["[tools]"] },
      { stack: stack(doc(`${TOKEN}${STRIP}<choose><when condition="@(true)">${RATE}</when></choose>`)), expect: ["no rate limit"] },
    ],
    unknown: [{ stack: stack(UNKNOWN) }],
  },
  "azure-apim-mcp-protected-resource-metadata": {
    pass: [
      { stack: stack(GOOD) },
      {
        stack: [
          weather(),
          policyFor(weather(), GOOD),
          res(SERVICE_POLICY, "prm-policy", {
            value: doc(`<return-response><set-status code="200" /><set-body>{"resource":"https://x/mcp","authorization_servers":["https://login.microsoftonline.com/${TENANT}/v2.0"]}</set-body></return-response>`),
          }),
        ],
      },
      { stack: [res(API, "health", { path: "health" })] },
    ],
    fail: [
      { stack: [weather(), policyFor(weather(), GOOD)], expect: ["[weather-api]", "oauth-protected-resource"] },
      { stack: [tools], config: { mcpPathPattern: "^tools$" }, expect: ["[tools]"] },
    ],
    unknown: [{ stack: [weather(), res(OPERATION, "prm", { urlTemplate: UNKNOWN })] }],
  },
  "azure-apim-mcp-www-authenticate": {
    pass: [
      { stack: stack(GOOD) },
      { stack: [res(API, "health", { path: "health" })] },
      { stack: stack(doc(TOKEN, "<base />", "")), config: { mcpPathPattern: "^none$" } },
      // The kit's shape: the refusal site sets the challenge, a shared fragment sends it.
      { stack: stack(doc(`${TOKEN}${CHALLENGE_SITE('Bearer resource_metadata="https://gw/.well-known/oauth-protected-resource/weather"')}`, "<base />", ""), [REFUSAL_FRAGMENT]) },
      { stack: stack(doc(`${TOKEN}${CHALLENGE_SITE('Bearer resource_metadata="https://gw/.well-known/oauth-protected-resource/weather"')}`, "<base />", ""), [GENERIC_REFUSAL_FRAGMENT]) },
    ],
    fail: [
      { stack: stack(doc(TOKEN, "<base />", "")), expect: ["[weather-api]", "resource_metadata"] },
      { stack: stack(doc(`${TOKEN}${CHALLENGE_SITE("Bearer")}`, "<base />", ""), [REFUSAL_FRAGMENT]) },
      { stack: stack(doc(`${TOKEN}${CHALLENGE_SITE('Bearer resource_metadata="https://gw/x"')}`, "<base />", "")) },
      { stack: stack(doc(TOKEN, "<base />", `<set-header name="WWW-Authenticate" exists-action="override"><value>Bearer</value></set-header>`)) },
      { stack: [tools, policyFor(tools, doc(TOKEN, "<base />", ""))], config: { mcpApiIds: ["tools"] }, expect: ["[tools]"] },
    ],
    unknown: [{ stack: stack(UNKNOWN) }],
  },
  "azure-apim-mcp-backend-managed-identity": {
    pass: [
      { stack: stack(GOOD) },
      { stack: stack(doc(`${TOKEN}<set-backend-service backend-id="weather-backend" />`), [res(BACKEND, "cb", { backendId: "weather-backend", credentials: { certificateIds: ["/c"] } })]) },
      { stack: stack(doc(TOKEN)), config: { mcpPathPattern: "^none$" } },
    ],
    fail: [
      { stack: stack(doc(`${TOKEN}<set-backend-service base-url="https://weather.internal" />`)), expect: ["[weather-api]", "managed-identity"] },
      { stack: stack(doc(`${TOKEN}<set-backend-service backend-id="weather-backend" />`)) },
      { stack: stack(doc(`${TOKEN}<authentication-managed-identity resource="" />`)) },
      { stack: [tools, policyFor(tools, doc(TOKEN))], config: { mcpApiIds: ["tools"] }, expect: ["[tools]"] },
    ],
    unknown: [{ stack: stack(UNKNOWN) }, { stack: stack(GOOD, [res(BACKEND, "b2", { backendId: UNKNOWN, credentials: { certificateIds: ["/c"] } })]) }],
  },
  "azure-apim-backend-authenticated": {
    pass: [
      { stack: stack(GOOD) },
      { stack: [backend({ credentials: { authorization: { scheme: "Bearer", parameter: "{{token}}" } } })] },
      { stack: [backend({ credentials: { certificateIds: ["/certificates/c"] } })] },
    ],
    fail: [
      { stack: [backend()], expect: ["unauthenticated"] },
      { stack: stack(doc(`${TOKEN}<set-backend-service backend-id="weather-backend" />`)) },
      { stack: stack(doc(`${TOKEN}<set-backend-service backend-id="other" /><authentication-managed-identity resource="api://x" />`)) },
    ],
    unknown: [{ stack: [backend({ backendId: UNKNOWN })] }, { stack: stack(UNKNOWN) }],
  },
  "azure-apim-policy-no-inline-secrets": {
    pass: [
      { type: API_POLICY, props: { value: GOOD, format: "rawxml" } },
      { type: SERVICE_POLICY, props: { value: doc(`<set-header name="Ocp-Apim-Subscription-Key" exists-action="override"><value>{{backend-key}}</value></set-header>`) } },
      { type: "azure-native:apimanagement:PolicyFragment", props: { value: `<fragment><set-header name="api-key" exists-action="delete" /></fragment>`, format: "xml" } },
      { type: "azure-native:resources:Resource", props: { ...GENERIC_REFUSAL_FRAGMENT.props } },
      { type: "azure-native:resources:Resource", props: { resourceProviderNamespace: "Microsoft.Storage", resourceType: "storageAccounts", properties: {} } },
      { type: API_POLICY, props: { value: "https://example.com/p.xml", format: "xml-link" } },
      { type: API_POLICY, props: { value: doc(`<validate-jwt><issuer-signing-keys><key>{{signing-key}}</key></issuer-signing-keys></validate-jwt>`) } },
    ],
    fail: [
      {
        type: API_POLICY,
        props: { value: doc(`<set-header name="X-Token" exists-action="override"><value>Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig</value></set-header>`) },
        expect: ["[BearerToken]"],
      },
      {
        type: "azure-native:resources:Resource",
        props: {
          ...GENERIC_REFUSAL_FRAGMENT.props,
          properties: { format: "xml", value: `<fragment><set-header name="X-Token" exists-action="override"><value>Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig</value></set-header></fragment>` },
        },
        expect: ["[BearerToken]"],
      },
      {
        type: "azure-native:apimanagement:ProductPolicy",
        props: { value: doc(`<set-header name="Ocp-Apim-Subscription-Key" exists-action="override"><value>0123456789abcdef</value></set-header>`) },
        expect: ["[Literal:Ocp-Apim-Subscription-Key]"],
      },
      { type: API_POLICY, props: { value: doc(`<authentication-basic username="u" password="hunter2" />`) }, expect: ["[BasicPassword]"] },
      { type: API_POLICY, props: { value: doc(`<validate-jwt><issuer-signing-keys><key>c2VjcmV0LWtleQ==</key></issuer-signing-keys></validate-jwt>`) }, expect: ["[JwtKey]"] },
      { type: "azure-native:apimanagement:ApiOperationPolicy", props: { value: doc(`<set-body>grant_type=client_credentials&amp;client_secret=s3cr3tvalue</set-body>`) }, expect: ["[ClientSecret]"] },
      { type: API_POLICY, props: { value: "<policies><inbound>AccountKey=abcdefghijklmnopqrstuvwxyz0123==" }, expect: ["[Unreadable]", "AccountKey"] },
      // A vendor token format in an innocuous header, found by the secretlint preset (built here, not written out).
      { type: API_POLICY, props: { value: doc(`<set-header name="X-Upstream" exists-action="override"><value>${GITHUB_TOKEN}</value></set-header>`) }, expect: ["[Provider:GITHUB_TOKEN]"] },
      { type: API_POLICY, props: { value: doc(`<send-request mode="new"><set-body>{"text": "${SLACK_TOKEN}"}</set-body></send-request>`) }, expect: ["[Provider:SLACK_TOKEN]"] },
      // Credential-named headers and query parameters in any case and spelling.
      { type: API_POLICY, props: { value: doc(`<set-header name="x_API_key" exists-action="override"><value>plain-value-123</value></set-header>`) }, expect: ["[Literal:x_API_key]"] },
      { type: API_POLICY, props: { value: doc(`<set-query-parameter name="AccessToken" exists-action="override"><value>abc123def</value></set-query-parameter>`) }, expect: ["[Literal:AccessToken]"] },
      { type: API_POLICY, props: { value: doc(`<set-header name="PRIVATE-TOKEN" exists-action="override"><value>glpat-abc</value></set-header>`) }, expect: ["[Literal:PRIVATE-TOKEN]"] },
    ],
    unknown: [{ type: API_POLICY, props: { value: UNKNOWN, format: "rawxml" } }],
  },
  "azure-apim-policy-https-targets": {
    pass: [
      { stack: [policyFor(weather(), GOOD), backend()] },
      { stack: [policyFor(weather(), doc(`<set-backend-service base-url="https://weather.internal/mcp" />`))] },
      { stack: [policyFor(weather(), doc(`<set-backend-service base-url="{{weather-url}}" />`)), namedValue("weather-url", { value: "https://weather.internal" })] },
      // A named value the stack does not declare, or a Key Vault secret, cannot be judged here.
      { stack: [policyFor(weather(), doc(`<set-backend-service base-url="{{external-url}}" />`))] },
      { stack: [policyFor(weather(), doc(`<send-request mode="new" response-variable-name="r"><set-url>https://contoso.cognitiveservices.azure.com/contentsafety/text:shieldPrompt</set-url></send-request>`))] },
      { stack: [policyFor(weather(), doc(`<set-backend-service base-url="@(&quot;https://&quot; + context.Variables[&quot;host&quot;])" />`), "xml")] },
    ],
    fail: [
      { stack: [policyFor(weather(), doc(`<set-backend-service base-url="http://weather.internal/mcp" />`))], expect: ["[set-backend-service:base-url]"] },
      { stack: [policyFor(weather(), doc(`<send-one-way-request mode="new"><set-url>HTTP://audit.contoso.com/log</set-url></send-one-way-request>`))], expect: ["[send-one-way-request:set-url]"] },
      { stack: [policyFor(weather(), doc(`<send-request mode="new" response-variable-name="r"><set-url>{{audit-url}}/events</set-url></send-request>`)), namedValue("audit-url", { value: "http://audit.internal" })], expect: ["{{audit-url}}"] },
      { stack: [policyFor(weather(), doc(`<set-backend-service base-url="@("http://" + context.Variables["host"])" />`))], expect: ["plain http URL"] },
      { stack: [policyFor(weather(), GOOD), backend({ url: "http://weather.internal" })], expect: ["[backend:weather-backend]"] },
    ],
    unknown: [{ stack: [policyFor(weather(), doc(`<set-backend-service base-url="{{weather-url}}" />`)), namedValue("weather-url", { value: UNKNOWN })] }],
  },
  "azure-apim-policy-credential-named-values-keyvault": {
    pass: [
      { stack: [policyFor(weather(), doc(`<set-header name="X-Api-Key" exists-action="override"><value>{{upstream-key}}</value></set-header>`)), namedValue("upstream-key", KV_SECRET)] },
      { stack: [policyFor(weather(), doc(`<set-header name="X-Api-Key" exists-action="override"><value>{{upstream-key}}</value></set-header>`))] },
      { stack: [policyFor(weather(), doc(`<set-header name="X-Tool-List" exists-action="override"><value>{{tools}}</value></set-header>`)), namedValue("tools", { value: "a,b" })] },
    ],
    fail: [
      { stack: [policyFor(weather(), doc(`<set-header name="x-functions-key" exists-action="override"><value>{{fn-key}}</value></set-header>`)), namedValue("fn-key", { value: "abc", secret: true })], expect: ["[fn-key]"] },
      { stack: [policyFor(weather(), doc(`<authentication-basic username="svc" password="{{svc-password}}" />`)), namedValue("svc-password", { value: "p", secret: false })], expect: ["[svc-password]"] },
      { stack: [policyFor(weather(), doc(`<set-body>grant_type=client_credentials&amp;client_secret={{client-secret}}</set-body>`)), namedValue("client-secret", { secret: true, value: "x" })], expect: ["[client-secret]"] },
    ],
    unknown: [{ stack: [policyFor(weather(), doc(`<set-header name="X-Api-Key" exists-action="override"><value>{{upstream-key}}</value></set-header>`)), namedValue("upstream-key", { secret: UNKNOWN })] }],
  },
};
