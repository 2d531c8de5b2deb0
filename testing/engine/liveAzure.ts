/**
 * Azure as a later deployment meets it: the resources the previous update left, and the answers Azure
 * gives to the creates and deletes the engine sends. Modelled refusals (each one a documented behaviour):
 * - a create on an ARM id that exists: azure-native's Create checks first and refuses ("cannot create
 *   already existing resource", provider.go defaultCreate -> CanCreate);
 * - a second role assignment of the same role to the same principal at the same scope: RoleAssignmentExists;
 * - a delete under a `CanNotDelete` or `ReadOnly` management lock: locks apply to every child and extension
 *   resource of their scope (learn.microsoft.com/azure/azure-resource-manager/management/lock-resources):
 *   ScopeLocked;
 * - a Key Vault secret's delete goes to the vault's data plane (azure-native custom_keyvault.go: "DELETE is
 *   implemented via the KeyVault data plane API, because it isn't available via ARM"), which a vault with
 *   public network access disabled refuses to a deployer outside its network (ForbiddenByConnection), and an
 *   RBAC vault refuses to a deployer without a data-plane role (Forbidden).
 */
import type { CheckpointResource } from "./checkpoint";

type Props = Record<string, unknown>;

/** Where the deployer stands, which decides what Azure's data planes let it do. */
export interface DeployerReach {
  /** The deployer's network reaches the vault's private endpoint (a self-hosted runner in the VNet). @default false */
  readonly reachesPrivateEndpoints?: boolean;
  /** The deployer holds a Key Vault data-plane role that deletes secrets (Key Vault Secrets Officer). @default false */
  readonly keyVaultSecretsOfficer?: boolean;
}

export interface LiveResource {
  readonly urn: string;
  readonly type: string;
  readonly id: string;
  readonly inputs: Props;
}

const key = (id: string) => id.toLowerCase();
const text = (v: unknown) => (typeof v === "string" ? v : "");

function isArm(r: LiveResource): boolean {
  return r.type.startsWith("azure-native:") && r.id.startsWith("/subscriptions/");
}

export class LiveAzure {
  private readonly byId = new Map<string, LiveResource>();

  constructor(
    resources: readonly CheckpointResource[],
    private readonly reach: DeployerReach = {},
  ) {
    for (const r of resources) if (r.custom && r.id) this.byId.set(key(r.id), { urn: r.urn, type: r.type, id: r.id, inputs: r.inputs });
  }

  /** Azure's error for creating `r`, or undefined when Azure creates it (and now holds it). */
  create(r: LiveResource): string | undefined {
    if (!isArm(r)) return undefined;
    if (this.byId.has(key(r.id))) return `cannot create already existing resource '${r.id}'`;
    if (r.type === "azure-native:authorization:RoleAssignment") {
      const twin = [...this.byId.values()].find(
        (o) =>
          o.type === r.type &&
          key(text(o.inputs.scope)) === key(text(r.inputs.scope)) &&
          key(text(o.inputs.roleDefinitionId)) === key(text(r.inputs.roleDefinitionId)) &&
          text(o.inputs.principalId) === text(r.inputs.principalId),
      );
      if (twin) return `RoleAssignmentExists: The role assignment already exists (${twin.id}).`;
    }
    this.byId.set(key(r.id), r);
    return undefined;
  }

  /** Records an in-place update (ARM PUT on an existing id). */
  update(r: LiveResource): void {
    if (isArm(r)) this.byId.set(key(r.id), r);
  }

  /** Azure's error for deleting `r`, or undefined when Azure deletes it. */
  delete(r: LiveResource): string | undefined {
    if (!isArm(r)) return undefined;
    // A secret's delete is a data-plane call, which management locks do not govern (they apply to the
    // management plane only: lock-resources, "Considerations before applying your locks").
    const refusal = r.type === "azure-native:keyvault:Secret" ? this.secretDeleteRefusal(r) : this.lockRefusal(r);
    if (refusal) return refusal;
    this.byId.delete(key(r.id));
    return undefined;
  }

  has(id: string): boolean {
    return this.byId.has(key(id));
  }

  private lockRefusal(r: LiveResource): string | undefined {
    const id = key(r.id);
    const lock = [...this.byId.values()].find((l) => {
      if (l.type !== "azure-native:authorization:ManagementLockByScope" || key(l.id) === id) return false;
      const scope = key(text(l.inputs.scope));
      return scope !== "" && (id === scope || id.startsWith(`${scope}/`));
    });
    if (!lock) return undefined;
    return `ScopeLocked: The scope '${r.id}' cannot perform delete operation because following scope(s) are locked: '${text(lock.inputs.scope)}'. Please remove the lock and try again.`;
  }

  private secretDeleteRefusal(secret: LiveResource): string | undefined {
    const vaultName = text(secret.inputs.vaultName);
    const vault = [...this.byId.values()].find((v) => v.type === "azure-native:keyvault:Vault" && text(v.inputs.vaultName) === vaultName);
    const properties = (vault?.inputs.properties ?? {}) as Props;
    if (properties.publicNetworkAccess === "Disabled" && !this.reach.reachesPrivateEndpoints) {
      return `ForbiddenByConnection: deleting secret '${text(secret.inputs.secretName)}' on https://${vaultName}.vault.azure.net: Public network access is disabled and request is not from a trusted service nor via an approved private link.`;
    }
    if (properties.enableRbacAuthorization === true && !this.reach.keyVaultSecretsOfficer) {
      return `Forbidden: Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/secrets/delete' (a data-plane role on ${vaultName}).`;
    }
    return undefined;
  }
}
