/**
 * Identifier grammars both sides check: one statement each. Each regex matches the whole value.
 */

/** A GUID (tenant, client, object and subscription ids; role definition names), any case. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * An Entra app role or delegated scope value as the kit accepts it. Entra allows up to 120 characters of
 * a wide printable set and no leading '.' (Microsoft Graph, appRole and permissionScope `value`); the kit
 * takes the subset that is safe in its own encodings: letters, digits, '_', '.', ':' and '-', starting with
 * a letter, digit or '_'. Left out: spaces (Entra refuses them), '/' (a full scope string is
 * `<applicationIdUri>/<value>`), and `; | , =` (the gateway's named-value separators).
 */
export const ENTRA_CLAIM_VALUE = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,119}$/;

/** An MCP tool name (MCP specification 2025-11-25, "Tool names": 1-128 of A-Z a-z 0-9 _ - .). */
export const MCP_TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** An environment variable name as POSIX shells accept it. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Key Vault object (secret, key, certificate) name: 1-127 letters, digits and hyphens. */
export const KEY_VAULT_OBJECT_NAME = /^[A-Za-z0-9-]{1,127}$/;

/** The data-plane DNS suffixes of Key Vault in the public, China and US Government clouds. */
export const KEY_VAULT_DNS_SUFFIXES = ["vault.azure.net", "vault.azure.cn", "vault.usgovcloudapi.net"] as const;

/** The parts of a Key Vault secret URL (`https://<vault>.<suffix>/secrets/<name>[/<version>]`). */
export interface KeyVaultSecretUrl {
  readonly vault: string;
  readonly dnsSuffix: string;
  readonly name: string;
  /** 32 lowercase hex characters; absent for a versionless URL (which follows rotations). */
  readonly version?: string;
}

const KEY_VAULT_SECRET_URL =
  /^https:\/\/([a-z0-9-]{3,24})\.(vault\.azure\.net|vault\.azure\.cn|vault\.usgovcloudapi\.net)\/secrets\/([A-Za-z0-9-]{1,127})(?:\/([0-9a-f]{32}))?\/?$/;

/** Splits a Key Vault secret URL into its parts; undefined when it is not one. */
export function parseKeyVaultSecretUrl(url: string): KeyVaultSecretUrl | undefined {
  const m = KEY_VAULT_SECRET_URL.exec(url);
  if (!m) return undefined;
  return { vault: m[1], dnsSuffix: m[2], name: m[3], ...(m[4] !== undefined ? { version: m[4] } : {}) };
}

/**
 * A DNS host name: lowercase labels of 1-63 letters, digits and inner hyphens, at least two labels, a
 * top-level label of 2-63 letters, at most 253 characters (RFC 1035/1123). No scheme, port, path or
 * wildcard. Host names are case-insensitive; the kit asks for the lowercase form Azure stores.
 */
export const DNS_HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * An absolute URL path made of RFC 3986 path characters (`pchar` and '/'), as a health probe's path:
 * no query, fragment, spaces or backslashes.
 */
export const URL_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@/%-]*$/;
