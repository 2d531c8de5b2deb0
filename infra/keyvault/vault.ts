import * as pulumi from "@pulumi/pulumi";
import { knownArmId, subscriptionIdOf } from "../shared/armIds";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { ScopedGrants } from "../identity/grants";
import { attachDiagnostics } from "../shared/diagnostics";
import { createPrivateEndpoint, PrivateEndpointPlacement, PrivateEndpointResult } from "../shared/privateEndpoint";
import { BuiltInRoles } from "../../baseline/roles";
import { Grantee, PlacementArgs } from "../shared/types";
import type { VaultReference } from "./vaultReference";
import { inComponent, SettingError } from "../shared/settingError";

/** What a declared secret holds until it is seeded; recognisable in logs and in the app's behaviour. */
export const SECRET_PLACEHOLDER = "placeholder: seed the real value with `hardened-mcp secrets seed`";

/** The content type of a declared secret until it is seeded: how `hardened-mcp secrets check` finds it. */
export const PLACEHOLDER_CONTENT_TYPE = "text/plain; placeholder";

/** Key Vault secret names: 1-127 letters, digits and hyphens. */
export function validateSecretName(secretName: string): void {
  if (!/^[0-9A-Za-z-]{1,127}$/.test(secretName)) {
    throw new Error(`Key Vault secret name "${secretName}" is invalid: use 1-127 letters, digits and hyphens.`);
  }
}

export interface SecureVaultArgs extends PlacementArgs {
  /** Required. Globally unique vault name (3-24 characters; see `validateVaultName`). */
  readonly vaultName: string;
  /** Required. Log Analytics workspace (ARM id) that receives the vault's audit logs and metrics. */
  readonly logAnalyticsWorkspaceId: pulumi.Input<string>;
  /** Required. Where the vault's private endpoint goes and the zone that resolves it. */
  readonly privateEndpoint: PrivateEndpointPlacement;
  /**
   * Optional. Entra tenant that authenticates data-plane requests.
   * @default the deploying identity's tenant
   */
  readonly tenantId?: pulumi.Input<string>;
  /**
   * Optional. `premium` adds HSM-backed keys; secrets and certificates need only `standard`.
   * @default "standard"
   */
  readonly sku?: "standard" | "premium";
  /**
   * Optional. Let Azure's trusted services (e.g. an API Management instance outside the VNet)
   * bypass the firewall. With public network access disabled, this bypass is the only path that
   * does not go through the private endpoint, so it is closed by default: every caller in the kit
   * reaches the vault through the VNet.
   * @default false
   */
  readonly allowTrustedAzureServices?: boolean;
  /**
   * Optional. Leave out the `CanNotDelete` management lock, which blocks deleting the vault from the
   * portal, CLI or another stack (Pulumi removes the lock itself before deleting the vault).
   * @default false
   */
  readonly skipDeleteLock?: boolean;
  /**
   * Optional. Pulumi's `protect` on the vault: `pulumi destroy` and replacements stop until it is
   * unprotected. On by default because a replaced vault takes its secrets into soft delete, and purge
   * protection then holds its name for 90 days; turn off for throwaway stacks.
   * @default true
   */
  readonly protect?: boolean;
}

/** Days a deleted vault (and each deleted secret) stays recoverable: the maximum Azure allows. */
export const SOFT_DELETE_RETENTION_DAYS = 90;

/**
 * Throws unless `name` is a valid vault name: 3-24 characters, letters, digits and hyphens, starting
 * with a letter, ending with a letter or digit, no consecutive hyphens.
 */
export function validateVaultName(name: string): void {
  const problem =
    name.length < 3 || name.length > 24
      ? `is ${name.length} characters long; use 3 to 24`
      : !/^[A-Za-z0-9-]+$/.test(name)
        ? "has characters other than letters, digits and hyphens; use only those"
        : !/^[A-Za-z]/.test(name)
          ? "does not start with a letter; start it with a letter"
          : !/[A-Za-z0-9]$/.test(name)
            ? "ends with a hyphen; end it with a letter or digit"
            : name.includes("--")
              ? "has consecutive hyphens; use single hyphens"
              : undefined;
  if (problem) {
    const [what, fix] = problem.split("; ");
    throw new SettingError({ field: ["vaultName"], problem: `"${name}" ${what}`, fix });
  }
}

export interface ResolvedVaultSettings {
  readonly sku: "standard" | "premium";
  readonly bypass: "None" | "AzureServices";
  readonly deleteLock: boolean;
  readonly protect: boolean;
}

/** Applies the secure defaults (one place) and validates. */
export function resolveVaultDefaults(
  args: Pick<SecureVaultArgs, "vaultName" | "sku" | "allowTrustedAzureServices" | "skipDeleteLock" | "protect">,
): ResolvedVaultSettings {
  validateVaultName(args.vaultName);
  return {
    sku: args.sku ?? "standard",
    bypass: args.allowTrustedAzureServices === true ? "AzureServices" : "None",
    deleteLock: args.skipDeleteLock !== true,
    protect: args.protect ?? true,
  };
}

/**
 * A Key Vault for the platform's secrets and certificates: Azure RBAC only (no access policies),
 * purge protection and 90-day soft delete, reachable only through its private endpoint, audit logs
 * to the workspace, a delete lock. Access is granted per grantee, on this vault only, with
 * `grantSecretsRead` / `grantCertificatesRead`.
 */
export class SecureVault extends pulumi.ComponentResource implements VaultReference {
  public readonly vault: keyvault.Vault;
  public readonly id: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;
  /** `https://<name>.vault.azure.net/`: what secret references (Container Apps, APIM named values) start with. */
  public readonly vaultUri: pulumi.Output<string>;
  public readonly privateEndpoint: PrivateEndpointResult;
  public readonly lock?: authorization.ManagementLockByScope;
  public readonly settings: ResolvedVaultSettings;
  private readonly grants: ScopedGrants;
  private readonly declaredSecrets = new Map<string, keyvault.Secret>();
  private readonly componentName: string;
  private readonly resourceGroupName: pulumi.Input<string>;

  constructor(name: string, args: SecureVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before registering anything; errors name the component and the argument (`SecureVault "x": vaultName: ...`).
    const settings = inComponent(`SecureVault "${name}"`, () => resolveVaultDefaults(args));
    super("hardened-mcp:azure:SecureVault", name, {}, opts);
    this.settings = settings;
    this.componentName = name;
    this.resourceGroupName = args.resourceGroupName;
    const tenantId = args.tenantId ?? authorization.getClientConfigOutput({ parent: this }).tenantId;

    this.vault = new keyvault.Vault(
      `${name}-kv`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        vaultName: args.vaultName,
        properties: {
          tenantId,
          sku: { family: "A", name: settings.sku },
          // Set explicitly: the SDK fills false when unset, which means access policies.
          enableRbacAuthorization: true,
          accessPolicies: [],
          enablePurgeProtection: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: SOFT_DELETE_RETENTION_DAYS,
          publicNetworkAccess: "Disabled",
          networkAcls: { defaultAction: "Deny", bypass: settings.bypass, ipRules: [], virtualNetworkRules: [] },
          enabledForDeployment: false,
          enabledForDiskEncryption: false,
          enabledForTemplateDeployment: false,
        },
      },
      { parent: this, protect: settings.protect },
    );
    // Known during preview when the name is ours (grants' scopes the pack judges); still waits for the vault.
    this.id = knownArmId(this.vault, { subscriptionId: subscriptionIdOf(this), resourceGroupName: args.resourceGroupName }, ["Microsoft.KeyVault/vaults", args.vaultName]);
    this.name = this.vault.name;
    this.vaultUri = this.vault.properties.apply((p) => p.vaultUri ?? "");

    this.privateEndpoint = createPrivateEndpoint(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        tags: args.tags,
        privateLinkServiceId: this.vault.id,
        service: "keyVault",
        ...args.privateEndpoint,
        location: args.privateEndpoint.location ?? args.location,
      },
      { parent: this },
    );
    attachDiagnostics(`${name}-kv`, { resourceId: this.vault.id, workspaceId: args.logAnalyticsWorkspaceId }, { parent: this });

    if (settings.deleteLock) {
      this.lock = new authorization.ManagementLockByScope(
        `${name}-kv-lock`,
        {
          scope: this.vault.id,
          lockName: "do-not-delete",
          level: "CanNotDelete",
          notes: "Holds the platform's secrets; remove this lock deliberately before deleting the vault.",
        },
        // Created after (so destroyed before) the private endpoint: the lock is inherited by the vault's
        // private endpoint connection, which replacing the endpoint must be able to delete.
        { parent: this, dependsOn: [this.privateEndpoint.endpoint, this.privateEndpoint.dnsZoneGroup] },
      );
    }
    this.grants = new ScopedGrants(this, name, this.id, `SecureVault "${name}"`);

    this.registerOutputs({ id: this.id, name: this.name, vaultUri: this.vaultUri });
  }

  /**
   * Declares a secret that workloads reference (a Container App's Key Vault reference fails to deploy when
   * the secret does not exist), with a placeholder value, so the first deployment succeeds. The real value
   * never passes through Pulumi: seed it from inside the VNet (`hardened-mcp secrets seed`, which also sets an
   * expiry); later deployments leave the secret alone. Declaring the same secret twice returns the first.
   */
  declareSecret(secretName: string): keyvault.Secret {
    const existing = this.declaredSecrets.get(secretName);
    if (existing) return existing;
    validateSecretName(secretName);
    const secret = new keyvault.Secret(
      `${this.componentName}-secret-${secretName}`,
      {
        resourceGroupName: this.resourceGroupName,
        vaultName: this.vault.name,
        secretName,
        properties: {
          value: pulumi.secret(SECRET_PLACEHOLDER),
          contentType: PLACEHOLDER_CONTENT_TYPE,
          attributes: { enabled: true },
        },
      },
      // Written once through the control plane; the seeded value (a new version) must never be overwritten.
      // Retained when the server that reads it goes: azure-native deletes secrets through the vault's data
      // plane, which this vault closes to the deployer (no public network access, no data-plane role), so a
      // delete would fail the update. Remove a retired secret from inside the network (docs/deploy.md).
      { parent: this, ignoreChanges: ["properties"], retainOnDelete: true },
    );
    this.declaredSecrets.set(secretName, secret);
    return secret;
  }

  /** Each secret declared (`declareSecret`), then the vault's private DNS zone group: what a reader waits for. */
  readersWaitFor(secretNames: readonly string[]): pulumi.CustomResource[] {
    return [...secretNames.map((secretName) => this.declareSecret(secretName)), this.privateEndpoint.dnsZoneGroup];
  }

  /** Key Vault Secrets User on this vault only: read secret values. `name` names the grant. */
  grantSecretsRead(name: string, grantee: Grantee): authorization.RoleAssignment {
    return this.grants.grant(name, BuiltInRoles.KeyVaultSecretsUser, grantee);
  }

  /** Key Vault Certificate User on this vault only: read certificates (e.g. a gateway TLS certificate). */
  grantCertificatesRead(name: string, grantee: Grantee): authorization.RoleAssignment {
    return this.grants.grant(name, BuiltInRoles.KeyVaultCertificateUser, grantee);
  }
}
