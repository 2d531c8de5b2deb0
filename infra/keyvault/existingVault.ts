import * as pulumi from "@pulumi/pulumi";
import type * as authorization from "@pulumi/azure-native/authorization";
import { parseArmResourceId } from "../../baseline/armResourceId";
import { KEY_VAULT_DNS_SUFFIXES } from "../../baseline/identifiers";
import { BuiltInRoles } from "../../baseline/roles";
import { ScopedGrants } from "../identity/grants";
import { BroughtValue, broughtProblems, checkedBrought } from "../shared/existingResource";
import { createPrivateEndpoint, PrivateEndpointPlacement, PrivateEndpointResult } from "../shared/privateEndpoint";
import { SettingError, SettingProblem, throwIfProblems } from "../shared/settingError";
import { Grantee, PlacementArgs } from "../shared/types";
import type { VaultReference } from "./vaultReference";

export interface ExistingVaultArgs extends PlacementArgs {
  /** Required. The vault's ARM id (`.../providers/Microsoft.KeyVault/vaults/<name>`): every grant's scope. */
  readonly id: pulumi.Input<string>;
  /**
   * Optional. The vault's URI as Azure shows it (`az keyvault show --query properties.vaultUri`).
   * @default `https://<name>.vault.azure.net/` (public cloud; give it in another cloud)
   */
  readonly vaultUri?: pulumi.Input<string>;
  /**
   * Optional. Where this stack's private endpoint to the vault goes (placed with `resourceGroupName`), and the
   * `privatelink.vaultcore.azure.net` zone that resolves it. Leave out when the vault already resolves to a
   * private endpoint from the VNet (the landing zone's own).
   * @default no private endpoint
   */
  readonly privateEndpoint?: PrivateEndpointPlacement;
}

/** `https://<name>.vault.azure.net/`: the public cloud's URI of a vault. */
export function defaultVaultUri(vaultName: string): string {
  return `https://${vaultName}.${KEY_VAULT_DNS_SUFFIXES[0]}/`;
}

function idValue(id: pulumi.Input<string>): BroughtValue {
  return { field: ["id"], value: id, kind: "Microsoft.KeyVault/vaults", fix: "use the vault's resource id (az keyvault show --name <vault> --query id)" };
}

/** What is wrong with `uri` as the URI of the vault named `vaultName`, or undefined. */
function vaultUriProblem(uri: string, vaultName: string): SettingProblem | undefined {
  const hosts = KEY_VAULT_DNS_SUFFIXES.map((suffix) => `https://${vaultName.toLowerCase()}.${suffix}`);
  if (hosts.includes(uri.toLowerCase().replace(/\/$/, ""))) return undefined;
  return { field: ["vaultUri"], problem: `${JSON.stringify(uri)} is not the URI of the vault ${vaultName}`, fix: `use ${defaultVaultUri(vaultName)} (or the vault's URI in its cloud), or leave it out` };
}

/** Throws a `SettingError` for every plain value of `args` that `ExistingVault` would refuse. Registers nothing. */
export function validateExistingVault(args: Pick<ExistingVaultArgs, "id" | "vaultUri">): void {
  const problems = broughtProblems([idValue(args.id)]);
  const name = typeof args.id === "string" ? parseArmResourceId(args.id)?.name : undefined;
  if (problems.length === 0 && name !== undefined && typeof args.vaultUri === "string") {
    const uri = vaultUriProblem(args.vaultUri, name);
    if (uri) problems.push(uri);
  }
  throwIfProblems(problems, "Invalid existing vault");
}

/**
 * A Key Vault the kit does not create (a landing zone's), as the platform uses a vault: grants scoped to this one
 * vault, and (when asked) this stack's private endpoint to it. The kit writes nothing into the vault: it declares
 * no secrets (the vault's owner keeps each one the workloads reference), sets no lock, and neither sets nor checks
 * its RBAC mode, purge protection or network access (`hardened-mcp preflight` reads them).
 */
export class ExistingVault extends pulumi.ComponentResource implements VaultReference {
  public readonly id: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;
  public readonly vaultUri: pulumi.Output<string>;
  /** This stack's private endpoint to the vault, when `privateEndpoint` was given. */
  public readonly privateEndpoint?: PrivateEndpointResult;
  private readonly grants: ScopedGrants;

  constructor(name: string, args: ExistingVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    validateExistingVault(args); // before registering anything
    super("hardened-mcp:azure:ExistingVault", name, {}, opts);
    const [id] = checkedBrought([idValue(args.id)], "Invalid existing vault");
    this.id = id;
    this.name = id.apply((v) => parseArmResourceId(v)?.name ?? "");
    this.vaultUri = pulumi.all([this.name, args.vaultUri]).apply(([vaultName, uri]) => {
      if (uri === undefined) return defaultVaultUri(vaultName);
      const problem = vaultUriProblem(uri, vaultName);
      if (problem) throw new SettingError([problem], "Invalid existing vault");
      return uri.endsWith("/") ? uri : `${uri}/`;
    });
    if (args.privateEndpoint) {
      this.privateEndpoint = createPrivateEndpoint(
        name,
        {
          resourceGroupName: args.resourceGroupName,
          tags: args.tags,
          privateLinkServiceId: id,
          service: "keyVault",
          ...args.privateEndpoint,
          location: args.privateEndpoint.location ?? args.location,
        },
        { parent: this },
      );
    }
    this.grants = new ScopedGrants(this, name, id, `ExistingVault "${name}"`);
    this.registerOutputs({ id: this.id, name: this.name, vaultUri: this.vaultUri });
  }

  /**
   * A reader waits for this stack's private endpoint DNS only: nothing is declared in a vault the kit does not own
   * (the secrets must already be in it: the plan lists them among what its owner guarantees).
   */
  readersWaitFor(_secretNames: readonly string[] = []): pulumi.CustomResource[] {
    return this.privateEndpoint ? [this.privateEndpoint.dnsZoneGroup] : [];
  }

  grantSecretsRead(name: string, grantee: Grantee): authorization.RoleAssignment {
    return this.grants.grant(name, BuiltInRoles.KeyVaultSecretsUser, grantee);
  }

  grantCertificatesRead(name: string, grantee: Grantee): authorization.RoleAssignment {
    return this.grants.grant(name, BuiltInRoles.KeyVaultCertificateUser, grantee);
  }
}
