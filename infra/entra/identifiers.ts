import { ENTRA_CLAIM_VALUE, isGuid } from "../../baseline/identifiers";

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

/** Throws unless `value` is a GUID; `setting` names the argument in the message. */
export function assertGuid(setting: string, value: string): void {
  if (!isGuid(value)) {
    throw new Error(
      `${setting} "${value}" is not a GUID. Use the id shown in Entra ID (for example 11111111-2222-3333-4444-555555555555).`,
    );
  }
}

/** Throws unless `value` can be a scope or app role value. */
export function assertClaimValue(setting: string, value: string): void {
  if (!ENTRA_CLAIM_VALUE.test(value)) {
    throw new Error(
      `${setting} "${value}" is not a valid scope/role value. Use letters, digits, ".", "_", ":" or "-" (no spaces), not starting with "." ":" or "-", up to 120 characters.`,
    );
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
export function validateApplicationIdUri(uri: string, ctx: ApplicationIdUriContext): void {
  const fix =
    'Use "api://<clientId>" or, with a custom domain verified in the tenant, the canonical MCP URL "https://<domain>/<server>/mcp".';
  if (uri.endsWith("/")) {
    throw new Error(
      `applicationIdUri "${uri}" ends with "/". MCP clients send the resource without a trailing slash and Entra compares exactly. Remove the slash.`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new Error(`applicationIdUri "${uri}" is not a URI. ${fix}`);
  }
  if (parsed.search || parsed.hash) {
    throw new Error(`applicationIdUri "${uri}" has a query or fragment, which Entra refuses. ${fix}`);
  }
  if (parsed.protocol === "api:") {
    const rest = uri.slice("api://".length).toLowerCase();
    const parts = rest.split("/");
    if (!parts.includes(ctx.tenantId.toLowerCase()) && !parts.includes(ctx.clientId.toLowerCase())) {
      throw new Error(
        `applicationIdUri "${uri}" contains neither the tenant id nor the client id; tenants that block identifier URIs without a unique tenant identifier refuse it. ${fix}`,
      );
    }
    return;
  }
  if (parsed.protocol !== "https:") {
    throw new Error(`applicationIdUri "${uri}" uses the scheme "${parsed.protocol}". ${fix}`);
  }
  const host = parsed.hostname.toLowerCase();
  const under = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  const shared = UNVERIFIABLE_DOMAINS.find(under);
  if (shared) {
    throw new Error(
      `applicationIdUri "${uri}" is on ${shared}, which no tenant can verify, so Entra refuses it. ` +
        'Publish the gateway on a custom domain verified in the tenant, or use "api://<clientId>" (see docs/gateway.md, "Custom domain vs no custom domain").',
    );
  }
  if (ctx.verifiedDomains && !ctx.verifiedDomains.some((d) => under(d.toLowerCase()))) {
    throw new Error(
      `applicationIdUri "${uri}" is not on a verified domain (${ctx.verifiedDomains.join(", ")}). Verify ${host} in Entra ID or use one of those domains.`,
    );
  }
}

/**
 * A kit-created application's explicit identifier URI must be the https canonical MCP URL on a
 * verifiable domain (the default `api://<clientId>` needs no argument).
 */
export function assertCanonicalIdentifierUri(uri: string): void {
  if (!uri.startsWith("https://")) {
    throw new Error(
      `entra.identifierUri "${uri}" is not an https URL. Set it to the canonical MCP URL on your verified custom domain, or omit it to get api://<clientId>.`,
    );
  }
  validateApplicationIdUri(uri, { tenantId: "", clientId: "" });
}

/** The full scope string clients request: `<applicationIdUri>/<scope>`. */
export function scopeUri(applicationIdUri: string, scope: string): string {
  return `${applicationIdUri}/${scope}`;
}
