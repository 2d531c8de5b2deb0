/**
 * ARM resource ids as the kit accepts them for a resource it is given instead of creating:
 * `/subscriptions/<subscription GUID>/resourceGroups/<group>/providers/<Namespace>/<type>/<name>[/<type>/<name>...]`
 * (Learn, "Resource identifiers": resource group names are 1-90 characters of letters, digits, `_ - . ( )`,
 * not ending in `.`). Types compare case-insensitively, as ARM compares them.
 */

/** The parts of an ARM resource id. */
export interface ArmResourceId {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  /** Namespace and types, child types joined: `Microsoft.Network/virtualNetworks/subnets`. */
  readonly type: string;
  /** The name of each type segment, outermost first (`["vnet-hub", "apps"]` for a subnet). */
  readonly names: readonly string[];
  /** The last name: the resource's own. */
  readonly name: string;
}

const GUID_PART = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const RESOURCE_GROUP = "[-\\w.()]{0,89}[-\\w()]";
const ARM_RESOURCE_ID = new RegExp(
  `^/subscriptions/(${GUID_PART})/resourceGroups/(${RESOURCE_GROUP})/providers/([A-Za-z][A-Za-z0-9]*\\.[A-Za-z0-9.]+)((?:/[^/\\s]+/[^/\\s]+)+)$`,
  "i",
);

/** Splits an ARM resource id into its parts; undefined when it is not one (a group, a subscription, a typo). */
export function parseArmResourceId(id: string): ArmResourceId | undefined {
  const m = ARM_RESOURCE_ID.exec(id);
  if (!m) return undefined;
  const pairs = m[4].split("/").slice(1);
  const types = pairs.filter((_, i) => i % 2 === 0);
  const names = pairs.filter((_, i) => i % 2 === 1);
  return { subscriptionId: m[1], resourceGroupName: m[2], type: [m[3], ...types].join("/"), names, name: names[names.length - 1] };
}

/**
 * What is wrong with `id` as the id of a resource of `type` (e.g. `Microsoft.KeyVault/vaults`), or undefined
 * when nothing is. The problem names the value and, for a well-formed id of another type, that type.
 */
export function armResourceIdProblem(id: string, type: string): string | undefined {
  const parsed = parseArmResourceId(id);
  if (!parsed) return `${JSON.stringify(id)} is not an ARM resource id (/subscriptions/<GUID>/resourceGroups/<group>/providers/${type}/<name>)`;
  if (parsed.type.toLowerCase() !== type.toLowerCase()) return `${JSON.stringify(id)} is the id of a ${parsed.type}, not of a ${type}`;
  return undefined;
}

/** Whether `childId` is a child of `parentId` (`<parent>/<type>/<name>`), compared as ARM compares ids. */
export function isChildResourceOf(childId: string, parentId: string): boolean {
  const child = parseArmResourceId(childId);
  return child !== undefined && childId.toLowerCase().startsWith(`${parentId.toLowerCase()}/`) && child.names.length >= 2;
}
