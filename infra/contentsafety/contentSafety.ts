import * as pulumi from "@pulumi/pulumi";
import { after, knownArmId, subscriptionIdOf } from "../shared/armIds";
import * as authorization from "@pulumi/azure-native/authorization";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import { ScopedGrants } from "../identity/grants";
import { attachDiagnostics } from "../shared/diagnostics";
import { createPrivateEndpoint, PrivateEndpointPlacement, PrivateEndpointResult } from "../shared/privateEndpoint";
import { BuiltInRoles } from "../../baseline/roles";
import { inComponent, SettingError } from "../shared/settingError";
import { Grantee, PlacementArgs } from "../shared/types";

/**
 * Regions where an Azure AI Content Safety resource offers Prompt Shields, per Microsoft's "Region
 * availability and service limits" page (Guardrails in Azure AI Content Safety, checked 2026-11).
 * The list changes: when a region you need is missing, check the page and extend this list.
 */
export const PROMPT_SHIELDS_REGIONS: readonly string[] = [
  // Americas
  "brazilsouth", "canadacentral", "canadaeast", "centralus", "eastus", "eastus2", "northcentralus",
  "southcentralus", "westus", "westus2", "westus3",
  // Europe
  "francecentral", "germanywestcentral", "italynorth", "polandcentral", "spaincentral", "swedencentral",
  "switzerlandnorth", "switzerlandwest", "uksouth", "westeurope",
  // Asia Pacific
  "australiaeast", "japaneast", "koreacentral", "southeastasia", "southindia",
  // Middle East and Africa
  "southafricanorth", "uaenorth",
];

/** `"West Europe"` and `"westeurope"` are the same region to ARM. */
export function normalizeRegion(region: string): string {
  return region.toLowerCase().replace(/\s+/g, "");
}

/** Throws, listing the supported regions, unless Prompt Shields is available in `region`. */
export function validatePromptShieldsRegion(region: string): void {
  if (!PROMPT_SHIELDS_REGIONS.includes(normalizeRegion(region))) {
    throw new SettingError({
      field: ["location"],
      problem: `Prompt Shields is not available in "${region}"`,
      fix: `deploy Content Safety in one of: ${PROMPT_SHIELDS_REGIONS.join(", ")}`,
    });
  }
}

/**
 * Throws unless `name` can be a custom subdomain: 2-64 lowercase letters, digits and hyphens, not
 * starting or ending with a hyphen. It becomes `https://<name>.cognitiveservices.azure.com/`, must
 * be globally unique, and cannot be changed once set.
 */
export function validateCustomSubDomainName(name: string): void {
  const problem =
    name.length < 2 || name.length > 64
      ? `is ${name.length} characters long; use 2 to 64`
      : !/^[a-z0-9-]+$/.test(name)
        ? "has characters other than lowercase letters, digits and hyphens; use only those"
        : name.startsWith("-") || name.endsWith("-")
          ? "starts or ends with a hyphen; start and end it with a letter or digit"
          : undefined;
  if (problem) {
    const [what, fix] = problem.split("; ");
    throw new SettingError({ field: ["customSubDomainName"], problem: `"${name}" ${what}`, fix });
  }
}

export interface ContentSafetyArgs extends PlacementArgs {
  /**
   * Required. The account's custom subdomain (see `validateCustomSubDomainName`). Entra ID tokens
   * and private endpoints work only on a custom subdomain, never on the regional endpoint.
   */
  readonly customSubDomainName: string;
  /** Required. Log Analytics workspace (ARM id) that receives audit and request logs and metrics. */
  readonly logAnalyticsWorkspaceId: pulumi.Input<string>;
  /** Required. Where the account's private endpoint goes and the zone that resolves it. */
  readonly privateEndpoint: PrivateEndpointPlacement;

  /**
   * Optional. The account's Azure name.
   * @default customSubDomainName
   */
  readonly accountName?: string;
  /**
   * Optional. Check that `location` offers Prompt Shields (the gateway's prompt-injection control
   * depends on it). Turn off only when this account serves other Content Safety features.
   * @default true
   */
  readonly requirePromptShields?: boolean;
}

/**
 * Azure AI Content Safety for the gateway's Prompt Shields checks: Entra ID only (no keys), no
 * public network access, no outbound calls of its own, reachable through its private endpoint,
 * logs to the workspace. Callers get Cognitive Services User on this account only (`grantUser`).
 */
export class ContentSafety extends pulumi.ComponentResource {
  public readonly account: cognitiveservices.Account;
  public readonly id: pulumi.Output<string>;
  /** `https://<customSubDomainName>.cognitiveservices.azure.com/` (resolves privately inside the VNet). */
  public readonly endpoint: pulumi.Output<string>;
  /** The account's system-assigned identity. */
  public readonly principalId: pulumi.Output<string>;
  public readonly privateEndpoint: PrivateEndpointResult;
  private readonly grants: ScopedGrants;

  constructor(name: string, args: ContentSafetyArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering anything; errors name the component and the argument. The region is checked
    // now when it is a plain string, at deploy time when it is an Output; when `location` is left to the
    // resource group's region it cannot be checked here.
    const what = `ContentSafety "${name}"`;
    const checkRegion = args.requirePromptShields !== false;
    inComponent(what, () => {
      validateCustomSubDomainName(args.customSubDomainName);
      if (checkRegion && typeof args.location === "string") validatePromptShieldsRegion(args.location);
    });
    super("hardened-mcp:azure:ContentSafety", name, {}, opts);
    const location =
      checkRegion && args.location !== undefined && typeof args.location !== "string"
        ? pulumi.output(args.location).apply((region) => {
            inComponent(what, () => validatePromptShieldsRegion(region));
            return region;
          })
        : args.location;

    this.account = new cognitiveservices.Account(
      `${name}-cs`,
      {
        resourceGroupName: args.resourceGroupName,
        location,
        tags: args.tags,
        accountName: args.accountName ?? args.customSubDomainName,
        kind: "ContentSafety",
        sku: { name: "S0" },
        identity: { type: "SystemAssigned" },
        properties: {
          customSubDomainName: args.customSubDomainName,
          disableLocalAuth: true,
          publicNetworkAccess: "Disabled",
          networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [] },
          // The service needs no outbound calls for Prompt Shields: allow none.
          restrictOutboundNetworkAccess: true,
          allowedFqdnList: [],
        },
      },
      { parent: this },
    );
    // Both known during preview (the names are ours), so the grants' scope and the gateway policy that calls
    // Prompt Shields can be judged; both still wait for the account. An account with a custom subdomain is
    // served at https://<subdomain>.cognitiveservices.azure.com/ (Learn: "Custom subdomain names for Azure AI services").
    const arm = { subscriptionId: subscriptionIdOf(this), resourceGroupName: args.resourceGroupName };
    this.id = knownArmId(this.account, arm, ["Microsoft.CognitiveServices/accounts", args.accountName ?? args.customSubDomainName]);
    this.endpoint = after(this.account, `https://${args.customSubDomainName}.cognitiveservices.azure.com/`);
    this.principalId = this.account.identity.apply((i) => i?.principalId ?? "");

    this.privateEndpoint = createPrivateEndpoint(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        tags: args.tags,
        privateLinkServiceId: this.account.id,
        service: "cognitiveServices",
        ...args.privateEndpoint,
        location: args.privateEndpoint.location ?? args.location,
      },
      { parent: this },
    );
    attachDiagnostics(`${name}-cs`, { resourceId: this.account.id, workspaceId: args.logAnalyticsWorkspaceId }, { parent: this });
    this.grants = new ScopedGrants(this, name, this.id, `ContentSafety "${name}"`);

    this.registerOutputs({ id: this.id, endpoint: this.endpoint });
  }

  /** Cognitive Services User on this account only: call Prompt Shields with an Entra token. */
  grantUser(name: string, grantee: Grantee): authorization.RoleAssignment {
    return this.grants.grant(name, BuiltInRoles.CognitiveServicesUser, grantee);
  }
}
