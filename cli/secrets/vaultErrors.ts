/**
 * Turns a failed Key Vault call into what the operator should do. A 403 has two unrelated causes that
 * Key Vault tells apart in `error.innererror.code` (https://learn.microsoft.com/azure/key-vault/general/common-error-codes,
 * https://learn.microsoft.com/azure/key-vault/general/rest-error-codes): the network (the kit's vault
 * accepts only its private endpoint) or RBAC (the signed-in identity lacks a role on this vault).
 */
import type { VaultTarget } from "./vaultUrl";

/** What the verb was doing, which decides the role it needs. */
export type VaultAction = "write" | "read metadata";

const ROLE_FOR: Readonly<Record<VaultAction, string>> = {
  write: "Key Vault Secrets Officer",
  "read metadata": "Key Vault Reader (or Key Vault Secrets Officer)",
};

interface ErrorShape {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
  /** The SDK's parsed error body (operations), with `innerError` camel-cased. */
  readonly details?: { readonly error?: { readonly innerError?: { readonly code?: string } } };
}

/**
 * Key Vault's inner error code, from the SDK's parsed body or, for listing (whose pager drops the body),
 * from the raw body the caller captured.
 */
function innerCode(err: ErrorShape, rawBody: string | undefined): string | undefined {
  const parsed = err.details?.error?.innerError?.code;
  if (parsed) return parsed;
  try {
    const body = JSON.parse(rawBody ?? "") as { error?: { innererror?: { code?: string } } };
    return body.error?.innererror?.code;
  } catch {
    return undefined;
  }
}

function hostOf(vault: VaultTarget): string {
  return new URL(vault.url).hostname;
}

function networkAdvice(vault: VaultTarget): string {
  return (
    `The vault accepts traffic only through its private endpoint. Run this from inside the VNet (a jump host, ` +
    `Bastion session or self-hosted pipeline agent) where ${hostOf(vault)} resolves to a private address ` +
    `(the privatelink.vaultcore.azure.net zone); check with \`nslookup ${hostOf(vault)}\`.`
  );
}

function rbacAdvice(vault: VaultTarget, action: VaultAction): string {
  return (
    `The signed-in identity needs the "${ROLE_FOR[action]}" role on vault ${vault.name} (assign it on the vault, not the ` +
    `subscription); a new assignment can take a few minutes to take effect.`
  );
}

/** One paragraph: what failed and what to do. Never includes a secret value (errors carry none). */
export function explainVaultError(err: unknown, vault: VaultTarget, action: VaultAction, rawBody?: string): string {
  const e = (typeof err === "object" && err !== null ? err : {}) as ErrorShape & { name?: string };
  const detail = e.message ?? String(err);
  if (e.name === "CredentialUnavailableError" || e.name === "AuthenticationRequiredError" || e.name === "AggregateAuthenticationError") {
    return `no Azure credential could sign in (${detail.split("\n")[0]}). Run \`az login\` (or configure workload identity / a managed identity) and try again.`;
  }
  if (e.statusCode === 403) {
    const inner = innerCode(e, rawBody);
    if (inner === "ForbiddenByFirewall" || inner === "ForbiddenByConnection" || /public network access is disabled|client address/i.test(detail)) {
      return `network: vault ${vault.name} refused this machine's address (403 ${inner ?? "Forbidden"}). ${networkAdvice(vault)}`;
    }
    if (inner === "ForbiddenByRbac" || inner === "ForbiddenByPolicy" || /not authorized to perform action/i.test(detail)) {
      return `permission: vault ${vault.name} refused the signed-in identity (403 ${inner ?? "Forbidden"}). ${rbacAdvice(vault, action)}`;
    }
    return `vault ${vault.name} answered 403 (${detail.split("\n")[0]}). Either the network: ${networkAdvice(vault)} Or permission: ${rbacAdvice(vault, action)}`;
  }
  if (e.statusCode === 401) {
    return `vault ${vault.name} did not accept the token (401). Sign in to the vault's tenant (\`az login --tenant <tenant id>\`) and, for a sovereign cloud, its authority (${vault.authorityHost}).`;
  }
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") {
    return `the name ${hostOf(vault)} does not resolve here. Check the vault URL (stack output) and the DNS of this network.`;
  }
  if (e.code === "ECONNREFUSED" || e.code === "ETIMEDOUT" || e.code === "ECONNRESET" || e.code === "UND_ERR_CONNECT_TIMEOUT") {
    return `no connection to vault ${vault.name} (${e.code}). ${networkAdvice(vault)}`;
  }
  return `vault ${vault.name}: ${e.statusCode !== undefined ? `HTTP ${e.statusCode}: ` : ""}${detail.split("\n")[0]}`;
}
