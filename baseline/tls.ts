/**
 * API Management's TLS surface, named by its `customProperties` keys. One list for the kit's gateway
 * (which turns all of these off) and the pack's rules (which require them off).
 * Source: Learn, "Manage protocols and ciphers in Azure API Management".
 */

/** Protocols API Management can stop offering, to clients and to backends. */
export const LEGACY_PROTOCOLS = ["Tls10", "Tls11", "Ssl30"] as const;

/**
 * Cipher suites the gateway can stop offering: static-RSA key exchange (no forward secrecy), CBC-mode
 * suites and 3DES. The ECDHE GCM suites API Management needs cannot be disabled and stay on.
 */
export const WEAK_CIPHERS = [
  "TripleDes168",
  "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
  "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  "TLS_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_RSA_WITH_AES_256_CBC_SHA256",
  "TLS_RSA_WITH_AES_128_CBC_SHA256",
  "TLS_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_AES_128_CBC_SHA",
] as const;

/**
 * Tiers whose cipher configuration cannot be changed: the service rejects or ignores cipher custom
 * properties there, and the platform's own defaults apply.
 */
export const FIXED_CIPHER_TIERS = ["Consumption", "BasicV2", "StandardV2", "PremiumV2"] as const;

export function hasFixedCiphers(sku: string): boolean {
  return FIXED_CIPHER_TIERS.some((t) => t.toLowerCase() === sku.toLowerCase());
}
