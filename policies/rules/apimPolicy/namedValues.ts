import type { PolicyResource } from "@pulumi/policy";
import { get, isTrue, ofTypes, peek, str } from "../util";

/**
 * Named values a policy document references as `{{name}}`, resolved against the stack's NamedValue
 * resources (by displayName, which is what `{{...}}` names, or by namedValueId / logical name).
 */

export const NAMED_VALUE = "azure-native:apimanagement:NamedValue";

/** A `{{name}}` reference at the start of a text, if any. */
export function leadingReference(text: string): string | undefined {
  return /^\s*\{\{\s*([^}]+?)\s*\}\}/.exec(text)?.[1];
}

/** Every `{{name}}` reference in a text. */
export function references(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1]!);
}

/** The stack's named value for a reference; `undefined` when the stack does not declare it. */
export function namedValue(resources: readonly PolicyResource[], name: string): PolicyResource | undefined {
  const n = name.toLowerCase();
  return ofTypes(resources, [NAMED_VALUE]).find((v) =>
    [str(peek(v.props, "displayName")), str(peek(v.props, "namedValueId")), v.name].some((c) => c !== undefined && c.toLowerCase() === n),
  );
}

/** Whether a named value is a secret kept in Key Vault (read through the unknown check: this is a verdict). */
export function isKeyVaultSecret(v: PolicyResource): boolean {
  return isTrue(get(v.props, "secret")) && str(get(v.props, "keyVault.secretIdentifier")) !== undefined;
}
