import { finding, Rule } from "./types";
import { describeEffective, effective, eqi, get, isTrue, knownEquals, noteImplicit, ofTypes, peek, refersTo, resourceRule, stackRule, str, strings } from "./util";

/**
 * App Service and Function app hardening beyond transport: authentication, CORS, client certificates,
 * HTTP/2, and the auth settings' HTTPS requirement. Each reads siteConfig (where ARM keeps these settings).
 */

const SITE = ["azure-native:web:WebApp", "azure-native:web:WebAppSlot"];
const AUTH_V1 = "azure-native:web:WebAppAuthSettings";
const AUTH_V2 = "azure-native:web:WebAppAuthSettingsV2";

/** Whether an auth settings resource turns authentication on and refuses anonymous callers. */
function enforcesAuth(type: string, props: Readonly<Record<string, unknown>>): boolean {
  if (type === AUTH_V1) return isTrue(get(props, "enabled")) && !eqi(get(props, "unauthenticatedClientAction"), "AllowAnonymous");
  return isTrue(get(props, "platform.enabled")) && !eqi(get(props, "globalValidation.unauthenticatedClientAction"), "AllowAnonymous");
}

export const appServiceAuthEnabled = stackRule({
  name: "azure-appservice-auth-enabled",
  description:
    "App Service and Function apps should have built-in authentication (auth settings V2 or V1) enabled and refusing anonymous callers, as defence in depth behind the gateway.",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["token-passthrough", "confused-deputy"],
  remediation:
    'Add a web.WebAppAuthSettingsV2 with platform.enabled true and globalValidation.unauthenticatedClientAction "Return401" (https://learn.microsoft.com/azure/app-service/overview-authentication-authorization).',
  checkov: ["CKV_AZURE_13"],
  psrule: ["Azure.AppService.AuthSettings"],
  azurePolicy: [{ name: "App Service apps should have authentication enabled", id: "95bccee9-a7f8-4bec-9ee9-62c3473701fc" }],
  validate: (args, report) => {
    const configs = ofTypes(args.resources, [AUTH_V1, AUTH_V2]);
    for (const site of ofTypes(args.resources, ["azure-native:web:WebApp"])) {
      const name = str(peek(site.props, "name")) ?? site.name;
      const own = configs.filter((c) => refersTo(c, "name", site) || knownEquals(c.props, "name", name));
      if (!own.some((c) => enforcesAuth(c.type, c.props))) report("The app has no enabled auth settings that reject unauthenticated callers.", site.urn);
    }
  },
});

export const appServiceAuthRequiresHttps = resourceRule({
  name: "azure-appservice-auth-requires-https",
  description: "App Service and Function app authentication settings must require HTTPS for authentication callbacks and responses.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["transport-security", "session-hijacking"],
  remediation:
    "Set httpSettings.requireHttps to true on the auth settings (V2); the API (2025-05-01) documents no default, so it must be explicit (https://learn.microsoft.com/azure/app-service/configure-authentication-file-based).",
  psrule: ["Azure.AppService.AuthSettings"],
  types: [AUTH_V2],
  validate: (props, _args, report) => {
    const value = get(props, "httpSettings.requireHttps");
    if (!isTrue(value)) report(`httpSettings.requireHttps is ${value === undefined ? "not set (no documented default)" : JSON.stringify(value)}; it must be true.`);
  },
});

export const appServiceCorsNoWildcard = resourceRule({
  name: "azure-appservice-cors-no-wildcard",
  description: "App Service and Function app CORS settings must not allow every origin.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["session-hijacking", "confused-deputy"],
  remediation: "List explicit origins in siteConfig.cors.allowedOrigins, or remove CORS (the gateway fronts the app).",
  checkov: ["CKV_AZURE_57"],
  psrule: ["Azure.AppService.CORS"],
  azurePolicy: [
    { name: "App Service apps should not have CORS configured to allow every resource to access your apps", id: "5744710e-cc2f-4ee8-8809-3b11e89f4bc9" },
  ],
  types: SITE,
  validate: (props, _args, report) => {
    const origins = strings(get(props, "siteConfig.cors.allowedOrigins"));
    if (origins.some((o) => o.trim() === "*")) report(`siteConfig.cors.allowedOrigins allows every origin (${origins.join(", ")}).`);
  },
});

export const appServiceClientCertificates = resourceRule({
  name: "azure-appservice-client-certificates",
  description: "App Service and Function apps should require incoming client certificates (mutual TLS), for example from the gateway.",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["confused-deputy", "transport-security"],
  remediation:
    'Set clientCertEnabled to true with clientCertMode "Required", and present a client certificate from API Management (https://learn.microsoft.com/azure/app-service/app-service-web-configure-tls-mutual-auth).',
  checkov: ["CKV_AZURE_17"],
  azurePolicy: [
    { name: "App Service apps should have Client Certificates (Incoming client certificates) enabled", id: "19dd1db6-f442-49cf-a838-b0786b4401ef" },
  ],
  types: SITE,
  validate: (props, args, report) => {
    const e = effective(props, args.type, "clientCertEnabled");
    if (!isTrue(e.value)) report(finding("Enabled", `${describeEffective("clientCertEnabled", e)}; it must be true.`));
    else if (get(props, "clientCertMode") !== undefined && !eqi(get(props, "clientCertMode"), "Required")) {
      report(finding("Mode", `clientCertMode is ${JSON.stringify(get(props, "clientCertMode"))}; it must be "Required".`));
    }
  },
});

export const appServiceHttp2 = resourceRule({
  name: "azure-appservice-http2",
  description: "App Service and Function apps should serve HTTP/2.",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["transport-security"],
  remediation: "Set siteConfig.http20Enabled to true, or leave it unset (true by default).",
  checkov: ["CKV_AZURE_18"],
  psrule: ["Azure.AppService.HTTP2"],
  azurePolicy: [{ name: "App Service apps should use latest 'HTTP Version'", id: "8c122334-9d20-4eb8-89ea-ac9a705b74ae" }],
  types: SITE,
  validate: (props, args, report) => {
    const e = effective(props, args.type, "siteConfig.http20Enabled");
    if (!isTrue(e.value)) report(`${describeEffective("siteConfig.http20Enabled", e)}; it must be true.`);
    else noteImplicit(args, report, "siteConfig.http20Enabled", e);
  },
});

export const appServiceHardeningRules: Rule[] = [
  appServiceAuthEnabled,
  appServiceAuthRequiresHttps,
  appServiceCorsNoWildcard,
  appServiceClientCertificates,
  appServiceHttp2,
];
