/**
 * Effective RBAC permissions at a scope, as `Microsoft.Authorization/permissions` returns them: one
 * entry per role the caller holds there (direct, inherited or through a group), each with actions and
 * notActions. Learn ("Understand Azure role definitions", "NotActions"): a role grants an action when
 * one of its `actions` matches and none of its `notActions` does; roles add up. Wildcards (`*`) match
 * any run of characters, and operation names compare case-insensitively.
 * Deny assignments are not in this list; a denied action still fails at deployment time.
 */
export interface Permission {
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
}

/** Permissions - List For Resource Group / List For Resource (Microsoft.Authorization, stable 2022-04-01). */
export const PERMISSIONS_API = "2022-04-01";

function pattern(operation: string): RegExp {
  const escaped = operation.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i");
}

export function allows(permissions: readonly Permission[], action: string): boolean {
  return permissions.some((p) => p.actions.some((a) => pattern(a).test(action)) && !p.notActions.some((n) => pattern(n).test(action)));
}

/** The actions of `needed` that no permission grants. */
export function missingActions(permissions: readonly Permission[], needed: readonly string[]): string[] {
  return needed.filter((action) => !allows(permissions, action));
}

/** The `value` list of a permissions response, or undefined when the body is not one. */
export function readPermissions(body: unknown): Permission[] | undefined {
  const value = (body as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(value)) return undefined;
  return value.map((entry: { actions?: unknown; notActions?: unknown }) => ({
    actions: Array.isArray(entry.actions) ? entry.actions.filter((a): a is string => typeof a === "string") : [],
    notActions: Array.isArray(entry.notActions) ? entry.notActions.filter((a): a is string => typeof a === "string") : [],
  }));
}
