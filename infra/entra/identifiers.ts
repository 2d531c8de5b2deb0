import { ENTRA_CLAIM_VALUE, isGuid } from "../../baseline/identifiers";
import { SettingError, type SettingField } from "../shared/settingError";

/** What Entra accepts as ids, claim values and application ID URIs: checked before anything is registered. */

/**
 * Shared hostnames no tenant can verify: an `https://` application ID URI on them is refused by
 * Entra, so the kit refuses it first with a clearer message.
 */
const UNVERIFIABLE_DOMAINS = [
  "azure-api.net",
  "azurewebsites.net",
  "azurecontainerapps.io",
  "cloudapp.azure.com",
  "cloudapp.net",
  "azurefd.net",
  "trafficmanager.net",
];

/** Throws a `SettingError` on `field` unless `value` is a GUID. */
export function assertGuid(field: SettingField, value: string): void {
  if (!isGuid(value)) {
    throw new SettingError({ field, problem: `"${value}" is not a GUID`, fix: "Use the id shown in Entra ID (for example 11111111-2222-3333-4444-555555555555)" });
  }
}

/** Throws a `SettingError` on `field` unless `value` can be a scope or app role value. */
export function assertClaimValue(field: SettingField, value: string): void {
  if (!ENTRA_CLAIM_VALUE.test(value)) {
    throw new SettingError({
      field,
      problem: `"${value}" is not a valid scope/role value`,
      fix: 'Use letters, digits, ".", "_", ":" or "-" (no spaces), not starting with "." ":" or "-", up to 120 characters',
    });
  }
}

export interface ApplicationIdUriContext {
  readonly tenantId: string;
  readonly clientId: string;
  /**
   * Optional. Domains verified in the tenant; when given, an `https://` URI must be on one of them (or a subdomain).
   * @default not checked (Entra itself refuses unverified domains at deployment)
   */
  readonly verifiedDomains?: readonly string[];
}

/**
 * Refuses application ID URIs Entra would reject or that break the MCP flow: a trailing slash (MCP
 * clients send the canonical form without it and Entra compares byte for byte), schemes other than
 * `api://` and `https://`, `https://` on a domain the tenant cannot verify, and `api://` URIs without the
 * tenant or client id (blocked by the tenant-wide identifier URI restrictions).
 */
export function validateApplicationIdUri(uri: string, ctx: ApplicationIdUriContext, field: SettingField = ["applicationIdUri"]): void {
  const bad = (problem: string, fix: string): never => {
    throw new SettingError({ field, problem: `"${uri}" ${problem}`, fix });
  };
  const fix = 'Use "api://<clientId>" or, with a custom domain verified in the tenant, the canonical MCP URL "https://<domain>/<server>/mcp"';
  if (uri.endsWith("/")) bad('ends with "/": MCP clients send the resource without a trailing slash and Entra compares exactly', "Remove the slash");
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return bad("is not a URI", fix);
  }
  if (parsed.search || parsed.hash) bad("has a query or fragment, which Entra refuses", fix);
  if (parsed.protocol === "api:") {
    const parts = uri.slice("api://".length).toLowerCase().split("/");
    if (!parts.includes(ctx.tenantId.toLowerCase()) && !parts.includes(ctx.clientId.toLowerCase())) {
      bad("contains neither the tenant id nor the client id; tenants that block identifier URIs without a unique tenant identifier refuse it", fix);
    }
    return;
  }
  if (parsed.protocol !== "https:") bad(`uses the scheme "${parsed.protocol}"`, fix);
  const host = parsed.hostname.toLowerCase();
  const under = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  const shared = UNVERIFIABLE_DOMAINS.find(under);
  if (shared) {
    bad(
      `is on ${shared}, which no tenant can verify, so Entra refuses it`,
      'Publish the gateway on a custom domain verified in the tenant, or use "api://<clientId>" (see docs/gateway.md, "Custom domain vs no custom domain")',
    );
  }
  if (ctx.verifiedDomains && !ctx.verifiedDomains.some((d) => under(d.toLowerCase()))) {
    bad(`is not on a verified domain (${ctx.verifiedDomains.join(", ")})`, `Verify ${host} in Entra ID or use one of those domains`);
  }
}

/**
 * A kit-created application's explicit identifier URI must be the https canonical MCP URL on a
 * verifiable domain (the default `api://<clientId>` needs no argument).
 */
export function assertCanonicalIdentifierUri(uri: string): void {
  if (!uri.startsWith("https://")) {
    throw new SettingError({
      field: ["identifierUri"],
      problem: `"${uri}" is not an https URL`,
      fix: "Set it to the canonical MCP URL on your verified custom domain, or omit it to get api://<clientId>",
    });
  }
  validateApplicationIdUri(uri, { tenantId: "", clientId: "" }, ["identifierUri"]);
}

/** The full scope string clients request: `<applicationIdUri>/<scope>`. */
export function scopeUri(applicationIdUri: string, scope: string): string {
  return `${applicationIdUri}/${scope}`;
}
