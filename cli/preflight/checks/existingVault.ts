import { armErrorMessage } from "../rest";
import { Check, CheckResult, couldNotRun } from "../result";

/** Vaults - Get (Microsoft.KeyVault 2023-07-01): the properties a brought vault must hold. */
const KEY_VAULT_API = "2023-07-01";

interface VaultBody {
  readonly properties?: { readonly enableRbacAuthorization?: unknown; readonly enablePurgeProtection?: unknown; readonly publicNetworkAccess?: unknown };
}

/**
 * What the kit sets on the vault it creates and cannot set on one it is given (`keyVault.existing`), read off the
 * vault: Azure RBAC authorization (the kit's grants are role assignments; with access policies they would grant
 * nothing and any access policy would grant beside them), purge protection (a deleted vault's secrets stay
 * recoverable for the retention period), and public network access disabled (the workloads reach it privately;
 * anything else is reachable from the internet). One row per property, each failing with the command that fixes it.
 */
function judge(name: string, body: VaultBody): Omit<CheckResult, "check">[] {
  const p = body.properties ?? {};
  const subject = `vault ${name}`;
  const row = (ok: boolean, property: string, why: string, fix: string): Omit<CheckResult, "check"> =>
    ok ? { subject, status: "pass", why: `${property}: as the kit would set it` } : { subject, status: "fail", why, fix };
  return [
    row(
      p.enableRbacAuthorization === true,
      "Azure RBAC authorization",
      "the vault uses access policies, not Azure RBAC: the stack's role assignments would grant nothing, and its access policies grant beside them",
      `move its access policies to role assignments, then az keyvault update --name ${name} --enable-rbac-authorization true`,
    ),
    row(
      p.enablePurgeProtection === true,
      "purge protection",
      "purge protection is off: a deleted vault and its secrets can be purged at once",
      `az keyvault update --name ${name} --enable-purge-protection true (it cannot be turned off again)`,
    ),
    row(
      p.publicNetworkAccess === "Disabled",
      "public network access",
      `public network access is ${typeof p.publicNetworkAccess === "string" ? p.publicNetworkAccess : "not disabled"}: the vault is reachable from outside its private endpoints`,
      `az keyvault update --name ${name} --public-network-access Disabled`,
    ),
  ];
}

/** The vault the stack brings (`keyVault.existing`), read over ARM: what the kit would have set, checked. */
export const checkExistingVault: Check = async ({ rest, needs }) => {
  const vault = needs.existingVault;
  if (!vault) return [];
  const name = vault.id.split("/").pop() ?? vault.id;
  const subject = `vault ${name}`;
  try {
    const response = await rest.arm("GET", vault.id, KEY_VAULT_API);
    if (response.status === 404) {
      return [{ check: "existing-vault", subject, status: "fail", why: `${vault.id} does not exist or is not visible to you`, fix: "check keyVault.existing.id" }];
    }
    if (response.status !== 200) return [{ check: "existing-vault", subject, status: "unknown", why: `could not read the vault: ${armErrorMessage(response)}` }];
    return judge(name, (response.body ?? {}) as VaultBody).map((r) => ({ check: "existing-vault", ...r }));
  } catch (err) {
    return [couldNotRun("existing-vault", subject, err)];
  }
};
