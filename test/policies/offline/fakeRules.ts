import type { PolicyResource } from "@pulumi/policy";
import { finding, type ResourceRule, type Rule, type StackRule } from "../../../policies/rules/types";
import type { Snapshot, SnapshotResource } from "../../../policies/offline/snapshot";

/** Small stand-in rules with the real contract, so the runner is tested apart from the real rules. */
export const vaultPurge: ResourceRule = {
  name: "fake-vault-purge-protection",
  description: "Vaults have purge protection.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["monitoring"],
  remediation: "Set properties.enablePurgeProtection to true.",
  checkov: ["CKV_AZURE_110"],
  azurePolicy: [{ name: "Key vaults should have deletion protection enabled", id: "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53" }],
  validateResource: (args, report) => {
    if (args.type !== "azure-native:keyvault:Vault") return;
    if (args.props.properties?.enablePurgeProtection !== true) report("properties.enablePurgeProtection is not true.");
  },
};

/** Granular findings, one per privileged role, and a configurable role list read through getConfig. */
export const privilegedRoles: ResourceRule = {
  name: "fake-rbac-privileged-roles",
  description: "No privileged roles.",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["excessive-permissions"],
  remediation: "Grant a data-plane role at resource scope.",
  configSchema: { properties: { roles: { type: "array", items: { type: "string" } } } },
  validateResource: (args, report) => {
    if (args.type !== "azure-native:authorization:RoleAssignment") return;
    const roles = args.getConfig<{ roles?: string[] }>().roles ?? ["Owner", "Contributor"];
    for (const role of args.props.roles as string[]) {
      if (roles.includes(role)) report(finding(role, `${role} is privileged.`));
    }
  },
};

export const advisoryTls: ResourceRule = {
  name: "fake-storage-tls",
  description: "Storage requires TLS 1.2.",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["transport-security"],
  remediation: "Set minimumTlsVersion to TLS1_2.",
  validateResource: (args, report) => {
    if (args.type !== "azure-native:storage:StorageAccount") return;
    if (args.props.minimumTlsVersion !== "TLS1_2") report(`minimumTlsVersion is ${String(args.props.minimumTlsVersion)}.`);
  },
};

/** A stack rule linking diagnostic settings to vaults through property dependencies. */
export const vaultDiagnostics: StackRule = {
  name: "fake-vault-diagnostics",
  description: "Every vault has a diagnostic setting.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["monitoring"],
  remediation: "Attach a diagnostic setting.",
  validateStack: (args, report) => {
    const settings = args.resources.filter((r) => r.type === "azure-native:monitor:DiagnosticSetting");
    const covered = (vault: PolicyResource) => settings.some((s) => (s.propertyDependencies.resourceUri ?? []).some((d) => d.urn === vault.urn));
    for (const vault of args.resources.filter((r) => r.type === "azure-native:keyvault:Vault")) {
      if (!covered(vault)) report("vault has no diagnostic setting.", vault.urn);
    }
  },
};

export const fakeRules: Rule[] = [vaultPurge, privilegedRoles, advisoryTls, vaultDiagnostics];

export const urnOf = (type: string, name: string) => `urn:pulumi:dev::mcp::${type}::${name}`;

export function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<SnapshotResource> = {}): SnapshotResource {
  return { urn: urnOf(type, name), type, name, custom: true, inputs, dependencies: [], propertyDependencies: {}, ...extra };
}

export function snapshotOf(...resources: SnapshotResource[]): Snapshot {
  return { format: "plan", file: "plan.json", project: "mcp", stack: "dev", resources };
}
