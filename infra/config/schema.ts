import { z } from "zod";
import { DNS_HOST_NAME, ENTRA_CLAIM_VALUE, ENV_NAME, GUID, KEY_VAULT_OBJECT_NAME, MCP_TOOL_NAME, parseKeyVaultSecretUrl, URL_PATH } from "../../baseline/identifiers";
import { ServerNameRule } from "../../baseline/naming";
import { DEFAULT_ADDRESS_SPACE } from "../network/network";
import { GatewaySkus } from "./settings";

/**
 * The stack config's shape (namespace `hardened-mcp`), with every default in one place. Shapes and
 * per-field rules only; rules that span fields or need a component's validator live in `parse.ts`.
 * Objects are strict: a misspelt key is an error, not a silently ignored setting.
 */

const uuid = z.string().regex(GUID, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a GUID`,
});

const nonEmpty = z.string().trim().min(1, { error: "is empty" });

/** Environment variable names as POSIX shells accept them. */
const envName = z.string().regex(ENV_NAME, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid environment variable name`,
});

/** Key Vault object names: 1-127 letters, digits and hyphens. */
const keyVaultSecretName = z.string().regex(KEY_VAULT_OBJECT_NAME, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid Key Vault secret name`,
});

/** MCP tool names (spec 2025-11-25: 1-128 characters of A-Z a-z 0-9 _ - .). */
const toolName = z.string().regex(MCP_TOOL_NAME, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid MCP tool name`,
});

/** Entra app role values. */
const appRole = z.string().regex(ENTRA_CLAIM_VALUE, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid Entra app role value`,
});

const tool = z.strictObject({
  name: toolName,
  roles: z.array(appRole).min(1, { error: "no roles: a tool nobody may call is a mistake, and one anybody may call is a risk" }),
  // The gateway removes or refuses a listed definition whose canonical-JSON SHA-256 differs (servers[].toolDrift).
  definitionSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { error: (issue) => `${JSON.stringify(issue.input)} is not a SHA-256 in 64 lowercase hex digits` })
    .optional(),
});

/** A gateway call limit: calls per renewal period (rate-limit-by-key allows at most 300 s). */
const callLimit = z.strictObject({
  calls: z.number().int().min(1),
  renewalPeriodSeconds: z.number().int().min(1),
});

export const serverSchema = z.strictObject({
  name: z.string(),
  image: nonEmpty,
  allowTagOnlyImages: z.boolean().default(false),
  port: z.number().int().min(1).max(65535).default(8080),
  env: z.record(envName, z.string()).default({}),
  secrets: z.record(envName, keyVaultSecretName).default({}),
  tools: z.array(tool).min(1, { error: "no tools: the gateway only forwards calls to approved tools" }),
  healthPath: z.string().regex(URL_PATH, { error: "must be an absolute URL path like /healthz" }).default("/healthz"),
  cpu: z.number().positive().max(4).default(0.5),
  memory: z.string().regex(/^\d+(\.\d+)?Gi$/, { error: 'must be a size in Gi, like "1Gi"' }).default("1Gi"),
  minReplicas: z.number().int().min(0).max(300).default(1),
  maxReplicas: z.number().int().min(1).max(300).default(3),
  allowPlainEnvNames: z.array(envName).default([]),
  // privateEndpoint: no default, so a config without it keeps its settings (and plan) as they were.
  registry: z.strictObject({ server: nonEmpty, resourceId: nonEmpty.optional(), privateEndpoint: z.boolean().optional() }).optional(),
  allowedOrigins: z.array(z.string()).optional(),
  maxBodyBytes: z.number().int().min(1).optional(),
  rateLimit: callLimit.optional(),
  toolRateLimit: callLimit.optional(),
  clientAppQuota: callLimit.optional(),
  sharedClientAppQuota: z.boolean().default(false),
  toolDrift: z.enum(["remove", "refuse"]).optional(),
  backendTimeoutSeconds: z.number().int().min(1).optional(),
  entraApp: z.strictObject({ clientId: uuid, applicationIdUri: nonEmpty }).optional(),
  serveAuthServerMetadata: z.boolean().default(false),
});

/** A subnet the kit is given: its id and its CIDR. */
const existingSubnet = z.strictObject({ id: nonEmpty, addressPrefix: nonEmpty });

/** The workload name every resource name starts with, unless set. */
export const DEFAULT_WORKLOAD = "mcp";

export const platformConfigSchema = z.strictObject({
  workload: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,11}$/, { error: "must be 2-12 lowercase letters or digits, starting with a letter" })
    .default(DEFAULT_WORKLOAD),
  location: nonEmpty.optional(),
  tags: z.record(z.string(), z.string()).default({}),
  tenantId: uuid,
  subscriptionId: uuid.optional(),
  nameSuffix: z
    .string()
    .regex(/^[a-z][a-z0-9]{2,7}$/, { error: "must be 3-8 lowercase letters or digits, starting with a letter" })
    .optional(),
  resourceGroup: z
    .strictObject({ name: nonEmpty.optional(), useExisting: z.boolean().default(false) })
    .prefault({}),
  gateway: z.strictObject({
    publisherEmail: z.email({ error: (issue) => `${JSON.stringify(issue.input)} is not an email address` }),
    publisherName: nonEmpty,
    // Checked by the gateway service's own tier rules (crossChecks), which say why a tier is refused.
    sku: nonEmpty.default("StandardV2"),
    capacity: z.number().int().min(1).default(1),
    virtualNetworkMode: z.enum(["External", "Internal"]).default("External"),
    customDomain: z
      .strictObject({
        hostName: z
          .string()
          .regex(DNS_HOST_NAME, { error: "is not a lowercase DNS host name" }),
        certificateSecretId: z
          .string()
          .refine((id) => parseKeyVaultSecretUrl(id)?.version === undefined && parseKeyVaultSecretUrl(id) !== undefined, {
            error: "is not a versionless Key Vault secret id",
          }),
        bind: z.boolean().default(false),
      })
      .optional(),
    // The identity's own rules (ARM id of a user-assigned identity, GUIDs) are WorkloadIdentity.fromExisting's (componentChecks).
    identity: z.strictObject({ existing: z.strictObject({ id: nonEmpty, clientId: nonEmpty, principalId: nonEmpty }) }).optional(),
  }),
  // No defaults here: with network.existing none of the kit's own network settings apply (parse.ts applies them).
  network: z
    .strictObject({
      addressSpace: z.string().optional(),
      subnets: z.strictObject({ gateway: z.string().optional(), apps: z.string().optional(), endpoints: z.string().optional() }).optional(),
      egress: z
        .strictObject({
          mode: z.enum(["natGateway", "existing", "none"]).optional(),
          natGatewayId: nonEmpty.optional(),
        })
        .optional(),
      // The ids' and CIDRs' own rules are ExistingNetwork's (existingChecks.ts).
      existing: z
        .strictObject({
          virtualNetworkId: nonEmpty,
          subnets: z.strictObject({ gateway: existingSubnet, apps: existingSubnet, endpoints: existingSubnet }),
          privateDnsZoneIds: z
            .strictObject({ keyVault: nonEmpty.optional(), cognitiveServices: nonEmpty.optional(), containerRegistry: nonEmpty.optional() })
            .optional(),
        })
        .optional(),
    })
    .prefault({}),
  monitoring: z
    .strictObject({
      // No default here: with an existing workspace, retention is its owner's (90 days is applied in parse.ts).
      retentionInDays: z.number().int().min(30).max(730).optional(),
      alerts: z.boolean().default(true),
      actionGroupId: nonEmpty.optional(),
      existing: z.strictObject({ workspaceId: nonEmpty }).optional(),
    })
    .prefault({}),
  keyVault: z
    .strictObject({
      allowDestroy: z.boolean().optional(),
      // The id's and URI's own rules are ExistingVault's (existingChecks.ts).
      existing: z.strictObject({ id: nonEmpty, vaultUri: nonEmpty.optional(), privateEndpoint: z.boolean().default(true) }).optional(),
    })
    .prefault({}),
  contentSafety: z
    .strictObject({
      enabled: z.boolean().default(true),
      failOpen: z.boolean().default(false),
      location: nonEmpty.optional(),
    })
    .prefault({}),
  entra: z
    .strictObject({
      mode: z.enum(["create", "existing"]).default("create"),
      preAuthorizedClientIds: z.array(uuid).default([]),
      allowedClientAppIds: z.array(uuid).default([]),
    })
    .prefault({}),
  servers: z.array(serverSchema).min(1, { error: "no servers: the platform exists to front at least one MCP server" }),
});

export type PlatformConfigInput = z.input<typeof platformConfigSchema>;
export type PlatformConfigParsed = z.output<typeof platformConfigSchema>;

/** The sections that parsed (absent when a section had its own problems), servers one by one: what the cross-setting checks read. */
export type PartialConfig = Partial<Omit<PlatformConfigParsed, "servers">> & {
  readonly servers: readonly Partial<PlatformConfigParsed["servers"][number]>[];
};

/**
 * How to fix each setting, by path with indices dropped (`servers[].image`). Shown after the
 * problem in every error, and the source of the reference table in docs/configuration.md.
 */
export const SettingHelp: Readonly<Record<string, string>> = {
  workload: "set a short lowercase name such as \"mcp\"; it starts every resource name",
  location: "set `azure-native:location` (or `hardened-mcp:location`) to an Azure region such as westeurope",
  tags: "set an object of string values, e.g. {\"cost-center\": \"1234\"}",
  tenantId: "set the Entra tenant id (a GUID): `az account show --query tenantId`",
  subscriptionId: "set the subscription id (a GUID) or leave it unset",
  nameSuffix: "set 3-8 lowercase letters/digits, or remove it to use the derived suffix",
  "resourceGroup.name": "set the resource group name, or remove it to use rg-<workload>-<stack>",
  "resourceGroup.useExisting": "set true to deploy into an existing resource group, false to create it",
  gateway: "set `hardened-mcp:gateway` with at least publisherEmail and publisherName",
  "gateway.publisherEmail": "set the email address API Management sends notifications to",
  "gateway.publisherName": "set the organization name shown by API Management",
  "gateway.sku": `use one of ${GatewaySkus.join(", ")}`,
  "gateway.capacity": "set a whole number of scale units (the tier's maximum applies)",
  "gateway.virtualNetworkMode": 'use "External" (public gateway, the default) or "Internal" (Premium/Developer only; clients need a path into the VNet)',
  "gateway.customDomain.hostName": "set the gateway's host name, e.g. mcp.contoso.com",
  "gateway.customDomain.bind": "set true in the deployment after the one that granted the gateway's system identity the certificate",
  "gateway.customDomain.certificateSecretId":
    "set https://<vault>.vault.azure.net/secrets/<certificate name> without a version, so renewals roll out",
  "network.addressSpace": `set an IPv4 CIDR of /22 or larger from a private range, e.g. ${DEFAULT_ADDRESS_SPACE}`,
  "network.subnets.gateway": "set an IPv4 CIDR inside the address space, or remove it to compute one",
  "network.subnets.apps": "set an IPv4 CIDR inside the address space, or remove it to compute one",
  "network.subnets.endpoints": "set an IPv4 CIDR inside the address space, or remove it to compute one",
  "monitoring.retentionInDays": "set a whole number of days from 30 to 730",
  "monitoring.existing": "set {workspaceId: <Log Analytics workspace resource id>} to use an existing workspace, or remove it",
  "monitoring.existing.workspaceId": "set the workspace's resource id (az monitor log-analytics workspace show --query id)",
  "gateway.identity.existing": "set {id, clientId, principalId} of an existing user-assigned identity, or remove it to let the kit create one",
  "gateway.identity.existing.id": "set the identity's resource id (az identity show --query id)",
  "gateway.identity.existing.clientId": "set the identity's client id (az identity show --query clientId)",
  "gateway.identity.existing.principalId": "set the identity's principal id (az identity show --query principalId)",
  "monitoring.alerts": "leave true so the gateway's alert rules are deployed, or set false only where another team's rules cover them",
  "monitoring.actionGroupId": "set an action group's resource id, or remove it (alerts then show in Azure Monitor only)",
  "network.egress.mode": 'use "natGateway" (the kit creates one, the default), "existing" (with natGatewayId) or "none" (your own route, e.g. to a firewall)',
  "network.egress.natGatewayId": 'set the NAT gateway\'s resource id together with mode "existing"',
  "keyVault.allowDestroy": "set true only for throwaway stacks (CI, demos), or remove it",
  "keyVault.existing": "set {id: <Key Vault resource id>} to use an existing vault, or remove it to let the kit create one",
  "keyVault.existing.id": "set the vault's resource id (az keyvault show --name <vault> --query id)",
  "keyVault.existing.vaultUri": "set the vault's URI (az keyvault show --name <vault> --query properties.vaultUri), or remove it for https://<name>.vault.azure.net/",
  "keyVault.existing.privateEndpoint": "leave true for a private endpoint to the vault in the endpoints subnet, or set false when the vault already resolves privately in the VNet",
  "network.existing": "set {virtualNetworkId, subnets: {gateway, apps, endpoints}} of an existing VNet, or remove it to let the kit create one",
  "network.existing.virtualNetworkId": "set the VNet's resource id (az network vnet show --query id)",
  "network.existing.subnets": "set gateway, apps and endpoints, each {id, addressPrefix}",
  "network.existing.subnets.gateway": "set {id, addressPrefix} of the subnet API Management attaches to",
  "network.existing.subnets.apps": "set {id, addressPrefix} of the subnet delegated to Microsoft.App/environments",
  "network.existing.subnets.endpoints": "set {id, addressPrefix} of the subnet for private endpoints",
  "network.existing.privateDnsZoneIds": "set the hub's privatelink zone ids (keyVault, cognitiveServices, containerRegistry: every one in use), or remove it to let the kit create and link them",
  "contentSafety.enabled": "set true (Prompt Shields screening at the gateway) or false",
  "contentSafety.failOpen": "leave false so calls are blocked when Content Safety is unreachable",
  "contentSafety.location": "set a region where Prompt Shields is available, or remove it to use the platform's location",
  "entra.mode": 'use "create" (the platform registers one Entra app per server) or "existing" (bring your own)',
  "entra.preAuthorizedClientIds": "list the MCP client application ids (GUIDs) that need no consent prompt, e.g. VS Code's",
  "entra.allowedClientAppIds": "list further client application ids (GUIDs) whose tokens the gateway accepts",
  servers: "list at least one server: [{name, image, tools}]",
  "servers[].name": `use ${ServerNameRule.min}-${ServerNameRule.max} ${ServerNameRule.charset}, e.g. "github-tools"`,
  "servers[].image": "pin the image by digest: <registry>/<repository>@sha256:<64 hex digits>",
  "servers[].allowTagOnlyImages": "leave false, or set true to accept a mutable tag (a named weakening)",
  "servers[].port": "set the TCP port the server listens on (1-65535)",
  "servers[].env": "set an object of NAME: \"value\" strings; put secrets under `secrets` instead",
  "servers[].secrets": "map ENV_NAME to the Key Vault secret name holding the value",
  "servers[].tools": "list the approved tools: [{name: \"search\", roles: [\"Tools.Read\"]}]",
  "servers[].tools[].name": "use the tool name exactly as the server lists it (letters, digits, _ - .)",
  "servers[].tools[].roles": "list the Entra app role values allowed to call the tool",
  "servers[].tools[].definitionSha256": "paste the pin `hardened-mcp tools pin --url <MCP endpoint>` prints for this tool, after reviewing its definition",
  "servers[].toolDrift": 'use "remove" (drop a drifted tool from tools/list, the default) or "refuse" (answer the whole list with 502)',
  "servers[].healthPath": "set an absolute path such as /healthz",
  "servers[].cpu": "set vCPUs between 0.25 and 4 in steps of 0.25",
  "servers[].memory": 'set memory as twice the cpu in Gi, e.g. cpu 0.5 -> "1Gi"',
  "servers[].minReplicas": "set a whole number from 0 to 300 (0 allows scale to zero)",
  "servers[].maxReplicas": "set a whole number from 1 to 300, at least minReplicas",
  "servers[].allowPlainEnvNames": "list env names that look like credentials but are not (e.g. TOKEN_ENDPOINT_URL)",
  "servers[].registry": "set {server: \"<name>.azurecr.io\", resourceId: \"<registry ARM id>\"} to pull with the server's identity",
  "servers[].registry.privateEndpoint":
    "set true to pull over a private endpoint (Premium registry; resourceId required; every server of that registry sets it), or remove it to pull over the egress path",
  "servers[].allowedOrigins": "list browser origins (scheme://host[:port]) allowed to call the server",
  "servers[].maxBodyBytes": "set the largest request body the gateway accepts, in bytes",
  "servers[].rateLimit": "set {calls, renewalPeriodSeconds} per caller (renewal period at most 300)",
  "servers[].toolRateLimit": "set {calls, renewalPeriodSeconds} per caller per tool (renewal period at most 300)",
  "servers[].clientAppQuota": "set {calls, renewalPeriodSeconds} per caller within a client application",
  "servers[].sharedClientAppQuota": "leave false (a bucket per caller within each client), or set true for one bucket per client application (a named weakening)",
  "servers[].backendTimeoutSeconds": "set the seconds the gateway waits for the server",
  "servers[].entraApp": "set {clientId, applicationIdUri} of the server's Entra app registration",
  "servers[].entraApp.clientId": "set the application (client) id GUID of the server's Entra app",
  "servers[].entraApp.applicationIdUri": "set the app's Application ID URI, e.g. api://<client id>",
  "servers[].serveAuthServerMetadata":
    "set true for the gateway to publish authorization server metadata naming Entra's endpoints with S256 (for clients that stop at Entra's own), or leave false",
};

/** `["servers", 1, "tools", 0, "name"]` -> `servers[].tools[].name`, the key of `SettingHelp`. */
export function helpKey(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += "[]";
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The fix for a setting: its own entry, else its nearest documented ancestor's. */
export function helpFor(path: readonly PropertyKey[]): string {
  for (let n = path.length; n > 0; n--) {
    const help = SettingHelp[helpKey(path.slice(0, n))];
    if (help) return help;
  }
  return "see docs/configuration.md";
}
