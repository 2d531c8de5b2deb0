import type { Plan } from "../testing/planFile";

/**
 * How long the first `pulumi up` of a plan takes, from its critical path. Phase durations are docs/deploy.md's
 * ("The first deployment, in order"), which cites its sources: API Management v2 tiers deploy "in minutes"
 * (Learn, "API Management v2 tiers"), the classic tiers (Developer, Basic, Standard, Premium) take 30-75 minutes;
 * a fresh role assignment can take up to 10 minutes to take effect (Learn, "Troubleshoot Azure RBAC"), and the
 * kit's consumers wait for that (infra/shared/grantPropagation.ts).
 */
export type Minutes = readonly [low: number, high: number];

export const PHASE_MINUTES = {
  foundation: [1, 3],
  vault: [2, 5],
  gatewayV2: [5, 15],
  gatewayClassic: [30, 75],
  environment: [5, 15],
  grantWait: [10, 10],
  servers: [2, 5],
} as const satisfies Record<string, Minutes>;

export interface DeployTime {
  readonly minutes: Minutes;
  /** The phase that decides the total (the longest of the parallel ones). */
  readonly longest: string;
  /** One line per phase on the path, for the reader. */
  readonly path: readonly string[];
}

const V2_TIERS = new Set(["BasicV2", "StandardV2", "PremiumV2"]);

const add = (...parts: Minutes[]): Minutes => [parts.reduce((s, p) => s + p[0], 0), parts.reduce((s, p) => s + p[1], 0)];

/**
 * The first deployment's duration: the foundation, then the gateway, the Container Apps environment and the
 * vault (plus the wait for its grants) in parallel, then the servers and their APIs. Undefined when the plan has
 * none of those (not a platform plan).
 */
export function firstDeployTime(plan: Plan): DeployTime | undefined {
  const has = (type: string) => plan.resources.some((r) => r.custom && r.type === type);
  const gateway = plan.resources.find((r) => r.custom && r.type === "azure-native:apimanagement:ApiManagementService");
  const parallel: [string, Minutes][] = [];
  if (gateway) {
    const sku = String((gateway.inputs.sku as { name?: unknown } | undefined)?.name);
    parallel.push(
      V2_TIERS.has(sku)
        ? [`API Management ${sku} (v2 tiers deploy in minutes)`, PHASE_MINUTES.gatewayV2]
        : [`API Management ${sku} (classic tiers take 30-75 minutes)`, PHASE_MINUTES.gatewayClassic],
    );
  }
  if (has("azure-native:app:ManagedEnvironment")) parallel.push(["Container Apps environment", PHASE_MINUTES.environment]);
  if (has("azure-native:keyvault:Vault")) {
    const grants = has("azure-native:authorization:RoleAssignment");
    parallel.push([
      grants ? "Key Vault, then the 10-minute wait for fresh role assignments" : "Key Vault",
      grants ? add(PHASE_MINUTES.vault, PHASE_MINUTES.grantWait) : PHASE_MINUTES.vault,
    ]);
  }
  if (parallel.length === 0) return undefined;
  const longest = parallel.reduce((a, b) => (b[1][1] > a[1][1] || (b[1][1] === a[1][1] && b[1][0] > a[1][0]) ? b : a));
  const middle: Minutes = [Math.max(...parallel.map(([, m]) => m[0])), Math.max(...parallel.map(([, m]) => m[1]))];
  const servers = has("azure-native:app:ContainerApp") || has("azure-native:apimanagement:Api");
  const minutes = add(PHASE_MINUTES.foundation, middle, servers ? PHASE_MINUTES.servers : [0, 0]);
  const fmt = (m: Minutes) => (m[0] === m[1] ? `${m[0]} min` : `${m[0]}-${m[1]} min`);
  return {
    minutes,
    longest: longest[0],
    path: [
      `foundation (group, network, DNS, monitoring, identities): ${fmt(PHASE_MINUTES.foundation)}`,
      ...parallel.map(([what, m]) => `in parallel: ${what}: ${fmt(m)}`),
      ...(servers ? [`servers and their APIs: ${fmt(PHASE_MINUTES.servers)}`] : []),
    ],
  };
}
