import * as crypto from "crypto";

/**
 * A name-based (v5-style) GUID from its parts, as Bicep's `guid()` does: the same parts always give
 * the same GUID, so re-running a deployment never creates a duplicate.
 */
export function deterministicGuid(...parts: string[]): string {
  const hash = crypto.createHash("sha1").update(parts.join("|").toLowerCase()).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
