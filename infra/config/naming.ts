import * as crypto from "crypto";
import { CONTAINER_APP_PREFIX, nameProblem, NameRule, NameRules, slug } from "../../baseline/naming";

/**
 * Resource names: Azure's abbreviations (Cloud Adoption Framework), each service's length and
 * character rules, and a short stable suffix for the names that must be globally unique.
 * Everything here is pure and deterministic: the same stack always gets the same names, so two
 * plans of one config are identical and a re-deploy never renames (replaces) a resource.
 */

/** Cloud Adoption Framework abbreviations for the resource types the kit creates. */
export const Abbreviations = {
  resourceGroup: "rg",
  virtualNetwork: "vnet",
  subnet: "snet",
  networkSecurityGroup: "nsg",
  keyVault: "kv",
  logAnalytics: "log",
  appInsights: "appi",
  apiManagement: "apim",
  containerAppsEnvironment: "cae",
  containerApp: CONTAINER_APP_PREFIX.slice(0, -1),
  managedIdentity: "id",
  contentSafety: "cs",
  privateEndpoint: "pe",
  natGateway: "ng",
  publicIp: "pip",
} as const;

// The Azure naming rules themselves are facts the pack can use too; they live in baseline/naming.
export { nameProblem, NameRules, slug } from "../../baseline/naming";
export type { NameRule, NameRuleKey } from "../../baseline/naming";

/** Throws when `name` breaks the rule; the kit's own names go through this, so a bad one fails before any deploy. */
export function assertValidName(name: string, rule: NameRule): string {
  const problem = nameProblem(name, rule);
  if (problem) throw new Error(`${problem}.`);
  return name;
}

/** What the unique suffix is derived from: whatever makes this deployment distinct from every other. */
export interface SuffixSource {
  readonly tenantId: string;
  /** Included when known (config `azure-native:subscriptionId` or `hardened-mcp:subscriptionId`). */
  readonly subscriptionId?: string;
  readonly project: string;
  readonly stack: string;
}

/** Length of the stable suffix: 36^5 (about 60 million) values, short enough for Key Vault's 24 characters. */
export const SUFFIX_LENGTH = 5;

/**
 * A short suffix for globally unique names, like Bicep's `uniqueString()`: a hash of the tenant,
 * subscription, project and stack, in base 36, starting with a letter. No randomness: the same
 * stack always gets the same suffix.
 */
export function stableSuffix(source: SuffixSource): string {
  const parts = [source.tenantId, source.subscriptionId ?? "", source.project, source.stack].map((p) => p.toLowerCase());
  const digest = crypto.createHash("sha256").update(parts.join("|")).digest();
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const alphabet = "0123456789" + letters;
  let out = letters[digest[0] % letters.length];
  for (let i = 1; out.length < SUFFIX_LENGTH; i++) out += alphabet[digest[i] % alphabet.length];
  return out;
}

/**
 * `<abbreviation>-<base>[-<suffix>]`, shortening `base` (never the abbreviation or suffix) to fit
 * the rule's maximum length, then checked against the rule.
 */
export function composeName(abbreviation: string, base: string, rule: NameRule, suffix?: string): string {
  const fixed = abbreviation.length + 1 + (suffix ? suffix.length + 1 : 0);
  const room = rule.max - fixed;
  if (room < 1) throw new Error(`No room for a name in ${rule.max} characters after "${abbreviation}" and "${suffix}".`);
  const trimmed = slug(base).slice(0, room).replace(/-+$/, "");
  const name = [abbreviation, trimmed, suffix].filter((p) => p).join("-");
  return assertValidName(name, rule);
}


/** Every name the platform gives its resources. */
export interface ResourceNames {
  readonly resourceGroup: string;
  readonly virtualNetwork: string;
  readonly keyVault: string;
  readonly logAnalytics: string;
  readonly appInsights: string;
  readonly apiManagement: string;
  readonly containerAppsEnvironment: string;
  /** The egress NAT gateway and its public IP. */
  readonly natGateway: string;
  readonly natGatewayPublicIp: string;
  /** The gateway's user-assigned identity. */
  readonly gatewayIdentity: string;
  /**
   * One NSG per subnet, by subnet role. (Subnets keep their role names: renaming one replaces it, and Azure
   * refuses to delete a subnet in use.)
   */
  readonly networkSecurityGroups: Readonly<Record<"gateway" | "apps" | "endpoints", string>>;
  /** The Content Safety account and its custom subdomain (globally unique, required for Entra auth). */
  readonly contentSafety: string;
  /** Per server (by server name): its Container App and its identity. */
  readonly servers: Readonly<Record<string, { readonly containerApp: string; readonly identity: string }>>;
}

export interface NamingInput extends SuffixSource {
  /** Short workload name that starts every resource name, e.g. "mcp". */
  readonly workload: string;
  /** Overrides the derived suffix (when a name collides elsewhere in Azure). */
  readonly suffix?: string;
  /** Overrides the derived resource group name. */
  readonly resourceGroupName?: string;
  readonly serverNames: readonly string[];
}

/**
 * The platform's resource names. Names Azure requires to be globally unique (Key Vault, API
 * Management, Content Safety's subdomain) carry the stable suffix; the rest are unique within
 * their resource group already.
 */
export function resourceNames(input: NamingInput): ResourceNames {
  const suffix = input.suffix ?? stableSuffix(input);
  const base = `${input.workload}-${input.stack}`;
  const A = Abbreviations;
  const servers: Record<string, { containerApp: string; identity: string }> = {};
  for (const server of input.serverNames) {
    servers[server] = {
      containerApp: assertValidName(`${A.containerApp}-${server}`, NameRules.containerApp),
      identity: composeName(A.managedIdentity, `${base}-${server}`, NameRules.generic),
    };
  }
  return {
    resourceGroup: input.resourceGroupName ?? composeName(A.resourceGroup, base, NameRules.resourceGroup),
    virtualNetwork: composeName(A.virtualNetwork, base, NameRules.generic),
    keyVault: composeName(A.keyVault, base, NameRules.keyVault, suffix),
    logAnalytics: composeName(A.logAnalytics, base, NameRules.logAnalytics),
    appInsights: composeName(A.appInsights, base, NameRules.generic),
    apiManagement: composeName(A.apiManagement, base, NameRules.apiManagement, suffix),
    containerAppsEnvironment: composeName(A.containerAppsEnvironment, base, NameRules.containerAppsEnvironment),
    natGateway: composeName(A.natGateway, base, NameRules.generic),
    natGatewayPublicIp: composeName(A.publicIp, `${base}-egress`, NameRules.generic),
    gatewayIdentity: composeName(A.managedIdentity, `${base}-gateway`, NameRules.generic),
    networkSecurityGroups: {
      gateway: composeName(A.networkSecurityGroup, `${base}-gateway`, NameRules.generic),
      apps: composeName(A.networkSecurityGroup, `${base}-apps`, NameRules.generic),
      endpoints: composeName(A.networkSecurityGroup, `${base}-endpoints`, NameRules.generic),
    },
    contentSafety: composeName(A.contentSafety, base, NameRules.contentSafety, suffix),
    servers,
  };
}
