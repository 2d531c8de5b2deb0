import { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** How bad a violation is; drives SARIF levels and table ordering. */
export type Severity = "critical" | "high" | "medium" | "low";

/** The MCP risks (../shared/seeds) a rule mitigates. */
export type McpRisk =
  | "token-passthrough"
  | "excessive-permissions"
  | "prompt-injection"
  | "session-hijacking"
  | "confused-deputy"
  | "supply-chain"
  | "transport-security"
  | "monitoring";

/** What every rule carries besides the @pulumi/policy fields. */
export interface RuleMetadata {
  readonly severity: Severity;
  /** At least one. */
  readonly risks: readonly McpRisk[];
  /** What to change so the resource complies, in one or two sentences. */
  readonly remediation: string;
  /** Matching Checkov check ids (e.g. `CKV_AZURE_107`), where one exists. */
  readonly checkov?: readonly string[];
  /** Matching PSRule for Azure rule names (e.g. `Azure.Storage.Firewall`), where one exists. */
  readonly psrule?: readonly string[];
  /** Matching Azure Policy built-in definitions (display name and GUID), where one exists. */
  readonly azurePolicy?: readonly { readonly name: string; readonly id: string }[];
}

/**
 * The type tokens a resource validation looks at, when it says (rules built with `resourceRule` do): it returns
 * at once for any other type, so the offline check skips those resources instead of building their args.
 * The engine ignores it and calls every validation, with the same outcome.
 */
export const APPLIES_TO: unique symbol = Symbol.for("hardened-mcp.appliesTo");

/** A resource validation, with the types it applies to when known. */
export interface ScopedValidation {
  [APPLIES_TO]?: ReadonlySet<string>;
}

/** False only when the validation says which types it looks at and `type` is not one of them. */
export function appliesTo(validation: object, type: string): boolean {
  const types = (validation as ScopedValidation)[APPLIES_TO];
  return types === undefined || types.has(type);
}

/** A rule on one resource: a @pulumi/policy resource policy plus metadata. */
export type ResourceRule = ResourceValidationPolicy & RuleMetadata & { readonly enforcementLevel: EnforcementLevel };

/** A rule on the whole stack (cross-resource links): a @pulumi/policy stack policy plus metadata. */
export type StackRule = StackValidationPolicy & RuleMetadata & { readonly enforcementLevel: EnforcementLevel };

export type Rule = ResourceRule | StackRule;

export function isStackRule(rule: Rule): rule is StackRule {
  return "validateStack" in rule;
}

/**
 * Findings carry a granular id, `<rule>[<qualifier>]` (e.g. `azure-rbac-no-privileged-roles[Owner]`), so an
 * exemption for one finding cannot hide another. A rule puts the qualifier at the start of the message it
 * reports; `parseFinding` takes it back out.
 */
export function finding(qualifier: string, message: string): string {
  return `[${qualifier}] ${message}`;
}

export function parseFinding(ruleName: string, message: string): { id: string; qualifier?: string; text: string } {
  const match = /^\[([^\]]+)\] (.*)$/s.exec(message);
  if (!match) return { id: ruleName, text: message };
  return { id: `${ruleName}[${match[1]}]`, qualifier: match[1], text: match[2] };
}
