import { parseKeyVaultSecretUrl } from "../../baseline/identifiers";
import { z } from "zod";
import { CONFIG_NAMESPACE, ProblemList } from "./errors";
import { resourceNames } from "./naming";
import { helpFor, platformConfigSchema, PlatformConfigParsed, serverSchema } from "./schema";
import { ExistingVaultSettings, GatewaySku, NetworkSettings, PlatformSettings, ServerSettings } from "./settings";
import { existingSettingsChecks } from "./existingChecks";
import { parseArmResourceId } from "../../baseline/armResourceId";
import { defaultVaultUri } from "../keyvault/existingVault";
import type { GatewayNetworkMode } from "../network/cidr";
import { componentChecks } from "./componentChecks";
import { crossChecks } from "./crossChecks";
import { gatewayNetworkModeFor } from "./derive";
import { resolveNetworkDefaults } from "../network/network";
import { DEFAULT_RETENTION_DAYS } from "../monitoring/monitoring";

/** Where the settings are deployed: feeds names, tags and the unique suffix. */
export interface PlatformContext {
  /** @default "hardened-mcp" */
  readonly project?: string;
  /** @default "dev" */
  readonly stack?: string;
}

type Issue = z.core.$ZodIssue;
type Server = PlatformConfigParsed["servers"][number];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Zod's issue, reworded for someone editing a Pulumi stack file. */
function record(problems: ProblemList, base: readonly PropertyKey[], issue: Issue): void {
  const path = [...base, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    for (const key of issue.keys) {
      problems.add([...path, key], "is not a known setting", "remove it or check its spelling (see docs/configuration.md)");
    }
    return;
  }
  const input = (issue as { input?: unknown }).input;
  let problem: string;
  if (issue.code === "invalid_type" && input === undefined) problem = "is required but not set";
  else if (issue.code === "invalid_type") problem = `${show(input)} is a ${Array.isArray(input) ? "list" : typeof input}, expected ${issue.expected}`;
  else if (issue.code === "invalid_value") problem = `${show(input)} is not one of the allowed values`;
  else if (issue.code === "too_small" || issue.code === "too_big") problem = `${show(input)} is ${issue.code === "too_small" ? "below the minimum" : "above the maximum"} (${issue.message.replace(/^Too (small|big): /, "")})`;
  else problem = issue.message;
  problems.add(path, problem, helpFor(path));
}

/**
 * Parses an object field by field against a strict object schema's shape: unknown keys and each
 * field's issues are recorded, the fields that parsed are kept (defaults applied).
 */
function parseFields(
  shape: Record<string, z.ZodType>,
  input: Record<string, unknown>,
  base: readonly PropertyKey[],
  problems: ProblemList,
): { data: Record<string, unknown>; complete: boolean } {
  const data: Record<string, unknown> = {};
  let complete = true;
  for (const key of Object.keys(input)) {
    if (!(key in shape)) problems.add([...base, key], "is not a known setting", "remove it or check its spelling (see docs/configuration.md)");
  }
  for (const [key, schema] of Object.entries(shape)) {
    if (base.length === 0 && key === "servers") continue;
    const result = schema.safeParse(input[key], { reportInput: true });
    if (result.success) data[key] = result.data;
    else {
      complete = false;
      result.error.issues.forEach((issue) => record(problems, [...base, key], issue));
    }
  }
  return { data, complete };
}

/**
 * Validates a whole stack config (the `hardened-mcp:*` keys as one object) and returns the
 * platform's settings with every default applied. Each section is checked on its own, then the
 * rules that span sections, so one run reports every problem; they are thrown together as one
 * `ConfigError` naming each setting, what is wrong and how to fix it. Pure: no resource, no I/O.
 */
/** The settings objects `parsePlatformConfig` returned: checked, with every default applied. */
const checkedSettings = new WeakSet<object>();

/** True for settings `parsePlatformConfig` returned (a look-alike object built by hand is not). */
export function isCheckedSettings(value: unknown): value is PlatformSettings {
  return typeof value === "object" && value !== null && checkedSettings.has(value);
}

export function parsePlatformConfig(raw: unknown, context: PlatformContext = {}): PlatformSettings {
  const project = context.project ?? CONFIG_NAMESPACE;
  const stack = context.stack ?? "dev";
  const problems = new ProblemList(project);
  const input = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) problems.add([], `the config is ${show(raw)}, not an object`, "set the hardened-mcp:* keys in Pulumi.<stack>.yaml");

  const top = parseFields(platformConfigSchema.shape, input, [], problems);
  // Servers one by one, field by field, so one bad field hides neither the others nor the cross-checks.
  const servers: Partial<Server>[] = [];
  let serversComplete = false;
  if (input.servers === undefined) problems.add(["servers"], "is required but not set", helpFor(["servers"]));
  else if (!Array.isArray(input.servers)) problems.add(["servers"], `${show(input.servers)} is not a list`, helpFor(["servers"]));
  else if (input.servers.length === 0) problems.add(["servers"], "is empty", helpFor(["servers"]));
  else {
    serversComplete = true;
    input.servers.forEach((rawServer: unknown, i: number) => {
      if (!isRecord(rawServer)) {
        problems.add(["servers", i], `${show(rawServer)} is not an object`, helpFor(["servers"]));
        serversComplete = false;
        return;
      }
      const server = parseFields(serverSchema.shape, rawServer, ["servers", i], problems);
      serversComplete &&= server.complete;
      servers.push(server.data);
    });
  }

  crossChecks(problems, { ...(top.data as Partial<PlatformConfigParsed>), servers });
  problems.throwIfAny();
  if (!top.complete || !serversComplete) throw new Error("unreachable: incomplete config without problems");

  // Every field parsed and every cross-check passed: build the settings.
  const c = { ...(top.data as Omit<PlatformConfigParsed, "servers">), servers: servers as Server[] };
  const location = c.location as string;
  const serverSettings: ServerSettings[] = c.servers.map((s) => ({
    name: s.name,
    image: s.image,
    allowTagOnlyImages: s.allowTagOnlyImages,
    port: s.port,
    env: s.env,
    secrets: s.secrets,
    tools: s.tools,
    healthPath: s.healthPath,
    cpu: s.cpu,
    memory: s.memory,
    minReplicas: s.minReplicas,
    maxReplicas: s.maxReplicas,
    allowPlainEnvNames: s.allowPlainEnvNames,
    serveAuthServerMetadata: s.serveAuthServerMetadata,
    ...optional("registry", s.registry),
    ...optional("allowedOrigins", s.allowedOrigins),
    ...optional("maxBodyBytes", s.maxBodyBytes),
    ...optional("rateLimit", s.rateLimit),
    ...optional("toolRateLimit", s.toolRateLimit),
    ...optional("clientAppQuota", s.clientAppQuota),
    sharedClientAppQuota: s.sharedClientAppQuota,
    ...optional("toolDrift", s.toolDrift),
    ...optional("backendTimeoutSeconds", s.backendTimeoutSeconds),
    ...optional("entraApp", s.entraApp),
  }));
  const sku = c.gateway.sku as GatewaySku; // resolveGatewaySku accepted it
  const gatewayNetworkMode = gatewayNetworkModeFor(sku);
  const network = networkSettings(c.network, gatewayNetworkMode);
  const names = resourceNames({
    workload: c.workload,
    tenantId: c.tenantId,
    subscriptionId: c.subscriptionId,
    project,
    stack,
    suffix: c.nameSuffix,
    resourceGroupName: c.resourceGroup.name,
    serverNames: serverSettings.map((s) => s.name),
  });
  const certificateVault = c.gateway.customDomain && vaultOfSecretId(c.gateway.customDomain.certificateSecretId);
  const platformVault = c.keyVault.existing ? existingVaultSettings(c.keyVault.existing).name : names.keyVault;
  if (certificateVault && certificateVault !== platformVault) {
    // The gateway identity reads certificates from the platform's vault only: no grant on vaults it doesn't own.
    problems.add(
      ["gateway", "customDomain", "certificateSecretId"],
      `the certificate is in vault "${certificateVault}", not the platform's vault "${platformVault}"`,
      `import it into the platform's vault (az keyvault certificate import --vault-name ${platformVault} ...) and use https://${platformVault}.vault.azure.net/secrets/<name>`,
    );
  }
  const settings: PlatformSettings = {
    project,
    stack,
    workload: c.workload,
    location,
    tags: { ...c.tags, workload: c.workload, stack, "managed-by": "pulumi" },
    tenantId: c.tenantId,
    resourceGroup: { name: names.resourceGroup, create: !c.resourceGroup.useExisting },
    gateway: {
      publisherEmail: c.gateway.publisherEmail,
      publisherName: c.gateway.publisherName,
      sku,
      capacity: c.gateway.capacity,
      virtualNetworkMode: c.gateway.virtualNetworkMode,
      ...(c.gateway.customDomain ? { customDomain: c.gateway.customDomain } : {}),
      ...(c.gateway.identity ? { identity: c.gateway.identity } : {}),
    },
    network,
    gatewayNetworkMode,
    monitoring: {
      retentionInDays: c.monitoring.retentionInDays ?? DEFAULT_RETENTION_DAYS,
      ...(c.monitoring.existing ? { existing: c.monitoring.existing } : {}),
      alerts: c.monitoring.alerts,
      ...(c.monitoring.actionGroupId !== undefined ? { actionGroupId: c.monitoring.actionGroupId } : {}),
    },
    keyVault: { allowDestroy: c.keyVault.allowDestroy ?? false, ...(c.keyVault.existing ? { existing: existingVaultSettings(c.keyVault.existing) } : {}) },
    contentSafety: {
      enabled: c.contentSafety.enabled,
      failOpen: c.contentSafety.failOpen,
      location: c.contentSafety.location ?? location,
    },
    entra: { mode: c.entra.mode, preAuthorizedClientIds: c.entra.preAuthorizedClientIds, allowedClientAppIds: c.entra.allowedClientAppIds },
    servers: serverSettings,
    names,
  };
  componentChecks(problems, settings);
  existingSettingsChecks(problems, settings);
  problems.throwIfAny();
  checkedSettings.add(settings);
  return settings;
}

/** The network settings: the kit's VNet (defaults applied, subnets computed) or the one brought (egress then the landing zone's). */
function networkSettings(n: PlatformConfigParsed["network"], gatewayMode: GatewayNetworkMode): NetworkSettings {
  if (n.existing) {
    const e = n.existing;
    const subnets = { gateway: e.subnets.gateway.addressPrefix, apps: e.subnets.apps.addressPrefix, endpoints: e.subnets.endpoints.addressPrefix };
    return { subnets, egress: { mode: "none" }, existing: { virtualNetworkId: e.virtualNetworkId, subnets: e.subnets, ...(e.privateDnsZoneIds ? { privateDnsZoneIds: e.privateDnsZoneIds } : {}) } };
  }
  const resolved = resolveNetworkDefaults({ addressSpace: n.addressSpace, subnets: n.subnets, gatewayMode });
  const mode = n.egress?.mode ?? "natGateway";
  return {
    addressSpace: resolved.addressSpace,
    subnets: resolved.subnets,
    egress: mode === "existing" ? { mode, natGatewayId: n.egress?.natGatewayId ?? "" } : { mode },
  };
}

/** A brought vault's settings: its name from its id (checked by then), its URI given or the public cloud's. */
function existingVaultSettings(v: NonNullable<PlatformConfigParsed["keyVault"]["existing"]>): ExistingVaultSettings {
  const name = parseArmResourceId(v.id)?.name ?? "";
  const vaultUri = v.vaultUri === undefined ? defaultVaultUri(name) : v.vaultUri.endsWith("/") ? v.vaultUri : `${v.vaultUri}/`;
  return { id: v.id, name, vaultUri, privateEndpoint: v.privateEndpoint };
}

/** `{ key: value }` when the value is set, `{}` otherwise: settings carry no undefined fields. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The vault name in `https://<vault>.vault.azure.net/secrets/<name>`. */
export function vaultOfSecretId(secretId: string): string | undefined {
  return parseKeyVaultSecretUrl(secretId)?.vault;
}
