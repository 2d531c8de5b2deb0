/** Reading ARM resource ids: `/subscriptions/<s>/resourceGroups/<g>/providers/<Namespace>/<type>/<name>[/<type>/<name>...]`. */

export interface ParsedArmId {
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  /** `Microsoft.KeyVault/vaults` (child types joined: `Microsoft.Network/virtualNetworks/subnets`). */
  readonly type?: string;
  readonly name?: string;
}

/** The parts of an ARM id, or undefined when `id` is not one. Extension resources read as their last provider segment. */
export function parseArmId(id: string): ParsedArmId | undefined {
  if (!id.toLowerCase().startsWith("/subscriptions/")) return undefined;
  const parts = id.split("/").filter((p) => p !== "");
  const subscriptionId = parts[1];
  const rgAt = parts.findIndex((p, i) => i >= 2 && p.toLowerCase() === "resourcegroups");
  const resourceGroup = rgAt >= 0 ? parts[rgAt + 1] : undefined;
  const providersAt = parts.map((p) => p.toLowerCase()).lastIndexOf("providers");
  if (providersAt < 0 || providersAt + 3 >= parts.length + 1) return { subscriptionId, ...(resourceGroup ? { resourceGroup } : {}) };
  const namespace = parts[providersAt + 1];
  const rest = parts.slice(providersAt + 2);
  if (!namespace || rest.length < 2) return { subscriptionId, ...(resourceGroup ? { resourceGroup } : {}) };
  const types = rest.filter((_, i) => i % 2 === 0);
  return {
    subscriptionId,
    ...(resourceGroup ? { resourceGroup } : {}),
    type: [namespace, ...types].join("/"),
    name: rest[rest.length - 1],
  };
}

/** `/subscriptions/<s>/resourceGroups/<g>`, the resource group an id lives in (case kept). */
export function resourceGroupIdOf(id: string): string | undefined {
  const parsed = parseArmId(id);
  return parsed?.subscriptionId && parsed.resourceGroup ? `/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}` : undefined;
}

/** Whether `id` is the resource group `groupId` or lives under it (ARM compares ids case-insensitively). */
export function isUnder(id: string, groupId: string): boolean {
  const a = id.toLowerCase();
  const g = groupId.toLowerCase();
  return a === g || a.startsWith(`${g}/`);
}
