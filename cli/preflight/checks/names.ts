import { armErrorMessage, AzureRest } from "../rest";
import { Check, CheckResult, couldNotRun } from "../result";
import type { PreflightNeeds } from "../needs";

/**
 * The globally unique names (Key Vault, API Management, Content Safety's subdomain) must be free,
 * already this stack's, or soft-deleted by an earlier deployment of it, which needs a decision:
 * - Key Vault: soft delete is always on and the kit enables purge protection, so a deleted vault keeps
 *   its name for the retention period (90 days by default) and cannot be purged (Learn: "Azure Key Vault
 *   soft-delete overview"). Recover it or take new names.
 * - API Management: a deleted service stays soft-deleted for 48 hours; it can be restored or purged
 *   (Learn: "API Management soft-delete").
 * - Cognitive Services: a deleted account stays soft-deleted for 48 hours; restore or purge (Learn:
 *   "Recover or purge deleted Azure AI services resources").
 * API versions: Microsoft.KeyVault 2023-07-01, Microsoft.ApiManagement 2024-05-01 (the pinned
 * azure-native's), Microsoft.CognitiveServices 2023-05-01.
 */
const NEW_NAMES = "or set hardened-mcp:nameSuffix to a new 3-8 character value (every globally unique name changes)";
const NEW_SUFFIX = "set hardened-mcp:nameSuffix to a new 3-8 character value";

function field(body: unknown, ...path: string[]): unknown {
  let value: unknown = body;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function day(value: unknown): string {
  return typeof value === "string" ? value.slice(0, 10) : "an unknown date";
}

/** How one globally unique name is looked up: in the stack's group, among the deleted, then globally. */
interface NameKind {
  readonly subject: string;
  readonly name: string;
  readonly apiVersion: string;
  /** `Microsoft.KeyVault/vaults` */
  readonly type: string;
  /** Path of the soft-deleted resource (subscription-relative). */
  readonly deletedPath: string;
  readonly deletedWhy: (body: unknown) => string;
  readonly deletedFix: string;
  /** The availability call: its path (subscription-relative), body and the answer's "available" field. */
  readonly availability: { readonly path: string; readonly body: Record<string, string>; readonly availableField: string; readonly available: string };
  readonly takenWhy: (body: unknown) => string;
}

function kinds(needs: PreflightNeeds): NameKind[] {
  const { keyVault, apiManagement, contentSafety } = needs.names;
  const csLocation = needs.contentSafety?.location ?? needs.location;
  const reason = (body: unknown) => String(field(body, "reason") ?? "unavailable");
  const list: NameKind[] = [
    // A brought vault (keyVault.existing) takes no name of the kit's.
    ...(keyVault === undefined
      ? []
      : [
          {
            subject: `Key Vault ${keyVault}`,
            name: keyVault,
            apiVersion: "2023-07-01",
            type: "Microsoft.KeyVault/vaults",
            deletedPath: `/providers/Microsoft.KeyVault/locations/${needs.location}/deletedVaults/${keyVault}`,
            deletedWhy: (b: unknown) => `soft-deleted on ${day(field(b, "properties", "deletionDate"))}; purge protection keeps the name until ${day(field(b, "properties", "scheduledPurgeDate"))}`,
            deletedFix: `recover it (az keyvault recover --name ${keyVault} --subscription ${needs.subscriptionId}), then import it into the stack (pulumi import), ${NEW_NAMES}`,
            availability: { path: "/providers/Microsoft.KeyVault/checkNameAvailability", body: { name: keyVault, type: "Microsoft.KeyVault/vaults" }, availableField: "nameAvailable", available: "available" },
            takenWhy: (b: unknown) => `taken (${reason(b)}): another subscription or tenant holds it, or holds it soft-deleted`,
          },
        ]),
    {
      subject: `API Management ${apiManagement}`,
      name: apiManagement,
      apiVersion: "2024-05-01",
      type: "Microsoft.ApiManagement/service",
      deletedPath: `/providers/Microsoft.ApiManagement/locations/${needs.location}/deletedservices/${apiManagement}`,
      deletedWhy: (b) => `soft-deleted on ${day(field(b, "properties", "deletionDate"))}; the name is held until ${day(field(b, "properties", "scheduledPurgeDate"))}`,
      deletedFix: `purge it (az apim deletedservice purge --service-name ${apiManagement} --location ${needs.location}), ${NEW_NAMES}`,
      availability: { path: "/providers/Microsoft.ApiManagement/checkNameAvailability", body: { name: apiManagement }, availableField: "nameAvailable", available: "available" },
      takenWhy: (b) => `taken (${reason(b)}${typeof field(b, "message") === "string" ? `: ${String(field(b, "message"))}` : ""})`,
    },
  ];
  if (contentSafety) {
    list.push({
      subject: `Content Safety ${contentSafety}`,
      name: contentSafety,
      apiVersion: "2023-05-01",
      type: "Microsoft.CognitiveServices/accounts",
      deletedPath: `/providers/Microsoft.CognitiveServices/locations/${csLocation}/resourceGroups/${needs.resourceGroup.name}/deletedAccounts/${contentSafety}`,
      deletedWhy: (b) => `soft-deleted (${day(field(b, "properties", "deletionDate"))}); its subdomain is held for 48 hours after deletion`,
      deletedFix: `purge it (az cognitiveservices account purge --name ${contentSafety} --resource-group ${needs.resourceGroup.name} --location ${csLocation}), ${NEW_NAMES}`,
      availability: {
        path: "/providers/Microsoft.CognitiveServices/checkDomainAvailability",
        body: { subdomainName: contentSafety, type: "Microsoft.CognitiveServices/accounts", kind: "ContentSafety" },
        availableField: "isSubdomainAvailable",
        available: "subdomain available",
      },
      takenWhy: (b) => `the custom subdomain is taken${typeof field(b, "reason") === "string" ? ` (${String(field(b, "reason"))})` : ""}`,
    });
  }
  return list;
}

async function checkName(rest: AzureRest, needs: PreflightNeeds, kind: NameKind): Promise<CheckResult> {
  const sub = `/subscriptions/${needs.subscriptionId}`;
  const { subject } = kind;
  const own = await rest.arm("GET", `${needs.resourceGroup.id}/providers/${kind.type}/${kind.name}`, kind.apiVersion);
  if (own.status === 200) return { check: "name", subject, status: "pass", why: "exists in the stack's resource group (updated in place)" };
  const deleted = await rest.arm("GET", `${sub}${kind.deletedPath}`, kind.apiVersion);
  if (deleted.status === 200) return { check: "name", subject, status: "fail", why: kind.deletedWhy(deleted.body), fix: kind.deletedFix };
  const check = await rest.arm("POST", `${sub}${kind.availability.path}`, kind.apiVersion, kind.availability.body);
  if (check.status !== 200) return { check: "name", subject, status: "unknown", why: `could not check the name: ${armErrorMessage(check)}` };
  if (field(check.body, kind.availability.availableField) === true) return { check: "name", subject, status: "pass", why: kind.availability.available };
  return { check: "name", subject, status: "fail", why: kind.takenWhy(check.body), fix: NEW_SUFFIX };
}

export const checkNames: Check = async ({ rest, needs }) =>
  Promise.all(
    kinds(needs).map(async (kind) => {
      try {
        return await checkName(rest, needs, kind);
      } catch (err) {
        return couldNotRun("name", kind.subject, err);
      }
    }),
  );
