import type * as pulumi from "@pulumi/pulumi";
import type * as authorization from "@pulumi/azure-native/authorization";
import type { Grantee } from "../shared/types";

/**
 * A Key Vault as the platform uses it, whoever created it: `SecureVault` (the kit's) and `ExistingVault` (a
 * landing zone's) are both one. Grants are scoped to this one vault.
 */
export interface VaultReference {
  /** ARM id: every grant's scope. */
  readonly id: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  /** `https://<name>.<Key Vault DNS suffix>/`: what secret references start with. */
  readonly vaultUri: pulumi.Output<string>;
  /** Key Vault Secrets User on this vault only: read secret values. `name` names the grant. */
  grantSecretsRead(name: string, grantee: Grantee): authorization.RoleAssignment;
  /** Key Vault Certificate User on this vault only: read certificates (e.g. a gateway TLS certificate). */
  grantCertificatesRead(name: string, grantee: Grantee): authorization.RoleAssignment;
  /**
   * What a workload that reads these secrets (none: certificates) must be created after: the secrets when the
   * vault declares them, and the private DNS that makes the vault resolve in the VNet when this stack makes it.
   */
  readersWaitFor(secretNames: readonly string[]): pulumi.CustomResource[];
}
