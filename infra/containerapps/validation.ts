/**
 * Pure checks on an MCP server's arguments. Each throws a `SettingError` naming the field in `McpServer`'s own
 * vocabulary (`image`, `env.GITHUB_TOKEN`), under `at` when the caller holds the arguments somewhere else (the
 * config layer passes `["servers", 1]`, so a fix that names a sibling names `servers[1].secrets.X`); none touches
 * Pulumi, so they run in plain unit tests and in the config layer before any resource is declared.
 */
import * as ipaddr from "ipaddr.js";
import { ENV_NAME, isGuid, parseKeyVaultSecretUrl, URL_PATH } from "../../baseline/identifiers";
import { nameProblem, NameRules } from "../../baseline/naming";
import { looksSecretName } from "../../baseline/secrets";
import { fieldName, SettingError, SettingField } from "../shared/settingError";

// ---------------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------------

/** An image reference split into its parts. */
export interface ImageReference {
  /** Registry host (with port, if any), e.g. `myregistry.azurecr.io`. */
  readonly registry: string;
  /** Repository path inside the registry, e.g. `mcp/github`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>` when the image is pinned. */
  readonly digest?: string;
}

export interface ImageValidationOptions {
  /**
   * Accept an image pinned only by a tag (or `latest`). A tag can be re-pointed after review, so the code
   * that runs may not be the code that was approved.
   * @default false
   */
  readonly allowTagOnlyImages?: boolean;
  /**
   * The field the image came from, named in the `SettingError` (its sibling names the opt-out).
   * @default ["image"]
   */
  readonly field?: SettingField;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REGISTRY_HOST = /^(?:localhost|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)(?::[0-9]{1,5})?$/;

/** The field next to `field`: `["image"]` -> `allowTagOnlyImages`, `["servers", 0, "image"]` -> `servers[0].allowTagOnlyImages`. */
function siblingField(field: SettingField, sibling: string): string {
  return fieldName([...field.slice(0, -1), sibling]);
}

/** The part of the message telling how to find an image's digest. */
function digestHint(registry: string, repository: string, tag: string): string {
  const acr = /^([a-z0-9]+)\.azurecr\.io$/.exec(registry);
  const ref = `${registry}/${repository}:${tag}`;
  return (
    `Get the digest with \`docker buildx imagetools inspect ${ref}\`` +
    (acr ? ` or \`az acr repository show --name ${acr[1]} --image ${repository}:${tag} --query digest -o tsv\`` : "") +
    `, then set "${ref}@sha256:<digest>".`
  );
}

/**
 * Checks an image reference and returns its parts. Accepts `registry/repository@sha256:<64 hex>`,
 * optionally with a tag before the `@` (kept for readability; the digest decides what runs). Refuses a
 * missing registry host (an implicit Docker Hub), and an image without a digest unless
 * `allowTagOnlyImages` is set.
 */
export function validateImageReference(image: string, options: ImageValidationOptions = {}): ImageReference {
  const field = options.field ?? ["image"];
  const bad = (problem: string, fix: string): never => {
    throw new SettingError({ field, problem: `"${image}" ${problem}`, fix });
  };
  if (typeof image !== "string" || image.trim() !== image || image.length === 0) {
    bad("is empty or has surrounding spaces", "Set a full image reference such as myregistry.azurecr.io/mcp/server@sha256:<digest>.");
  }
  const at = image.indexOf("@");
  const name = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) {
    bad("has a malformed digest", 'A digest is "sha256:" followed by 64 lowercase hex characters.');
  }
  const slash = name.indexOf("/");
  const host = slash === -1 ? "" : name.slice(0, slash);
  if (!REGISTRY_HOST.test(host) || !(host.includes(".") || host.includes(":") || host === "localhost")) {
    bad(
      "does not name its registry",
      "Write the registry host first (for example myregistry.azurecr.io/mcp/server or mcr.microsoft.com/...), so the image cannot silently come from Docker Hub.",
    );
  }
  const rest = name.slice(slash + 1);
  const colon = rest.lastIndexOf(":");
  const repository = colon === -1 ? rest : rest.slice(0, colon);
  const tag = colon === -1 ? undefined : rest.slice(colon + 1);
  if (!REPOSITORY.test(repository)) {
    bad("has an invalid repository path", "Use lowercase letters, digits and separators (. _ -) in path components separated by /.");
  }
  if (tag !== undefined && !TAG.test(tag)) {
    bad("has an invalid tag", "A tag is up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'.");
  }
  if (digest === undefined && !options.allowTagOnlyImages) {
    const shown = tag ?? "latest";
    bad(
      `is not pinned by digest (${tag === undefined ? "no tag means latest" : `tag "${tag}" can be moved to another image`}), so the revision that runs may not be the image that was reviewed`,
      `${digestHint(host, repository, shown)} To run a mutable tag anyway (not recommended), set ${siblingField(field, "allowTagOnlyImages")}: true.`,
    );
  }
  return { registry: host.toLowerCase(), repository, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

// ---------------------------------------------------------------------------------------------------
// Environment variables and secrets
// ---------------------------------------------------------------------------------------------------

/**
 * The Container Apps secret name used for an environment variable fed from Key Vault:
 * `GITHUB_TOKEN` -> `github-token` (lowercase letters, digits and '-').
 */
export function containerAppSecretName(envName: string): string {
  return envName.toLowerCase().replace(/_+/g, "-").replace(/^-+|-+$/g, "");
}

/** Checks a Key Vault secret URL (`https://<vault>.vault.azure.net/secrets/<name>[/<version>]`). */
export function validateKeyVaultSecretUrl(field: SettingField, url: string): void {
  if (parseKeyVaultSecretUrl(url) === undefined) {
    throw new SettingError({
      field,
      problem: `"${url}" is not a Key Vault secret URL`,
      fix: "Use https://<vault>.vault.azure.net/secrets/<name> (leave the version off so the app picks up rotations)",
    });
  }
}

const has = (record: Readonly<Record<string, unknown>>, key: string) => Object.prototype.hasOwnProperty.call(record, key);

/**
 * Checks an MCP server's environment: valid names, no name both plain and secret, and no plain value
 * under a name that looks like a credential (`SECRET_NAME` in baseline/secrets) unless listed in `allowPlainEnvNames`.
 */
export function validateServerEnvironment(
  env: Readonly<Record<string, unknown>>,
  secretEnvNames: readonly string[],
  allowPlainEnvNames: readonly string[] = [],
  at: SettingField = [],
): void {
  const bad = (field: SettingField, problem: string, fix: string): never => {
    throw new SettingError({ field: [...at, ...field], problem, fix });
  };
  const name = (...field: SettingField) => fieldName([...at, ...field]);
  const allowed = new Set(allowPlainEnvNames);
  for (const key of Object.keys(env)) if (!ENV_NAME.test(key)) bad(["env", key], "is not a valid environment variable name", "Use letters, digits and '_', not starting with a digit");
  for (const key of secretEnvNames) {
    if (!ENV_NAME.test(key)) bad(["secrets", key], "is not a valid environment variable name", "Use letters, digits and '_', not starting with a digit");
    if (has(env, key)) bad(["env", key], `is set both in env and in secrets`, `Keep it only in ${name("secrets", key)}`);
  }
  for (const key of Object.keys(env)) {
    if (looksSecretName(key) && !allowed.has(key)) {
      bad(
        ["env", key],
        "looks like a credential, and plain env values are stored in the app's definition for anyone with read access",
        `Move it to ${name("secrets", key)} (a Key Vault secret), or, if it really is not secret, list it in ${name("allowPlainEnvNames")}`,
      );
    }
  }
  allowPlainEnvNames.forEach((key, i) => {
    if (!has(env, key)) bad(["allowPlainEnvNames", i], `names "${key}", which is not in ${name("env")}`, "Remove it");
  });
  const seen = new Map<string, string>();
  for (const key of secretEnvNames) {
    const secretName = containerAppSecretName(key);
    if (secretName.length === 0) bad(["secrets", key], "has no letters or digits to name a Container Apps secret", "Rename it");
    const other = seen.get(secretName);
    if (other !== undefined) bad(["secrets", key], `maps to the same Container Apps secret "${secretName}" as "${other}"`, "Rename one of them");
    seen.set(secretName, key);
  }
}

// ---------------------------------------------------------------------------------------------------
// Compute, scale, naming, ingress
// ---------------------------------------------------------------------------------------------------

/** CPU/memory pairs a Consumption-profile replica accepts: 0.25 vCPU steps up to 4, 2 GiB per vCPU. */
export const CONSUMPTION_SIZES: ReadonlyArray<{ readonly cpu: number; readonly memory: string }> = Array.from(
  { length: 16 },
  (_, i) => ({ cpu: (i + 1) * 0.25, memory: `${(i + 1) * 0.5}Gi` }),
);

/** Checks a CPU/memory pair against the Consumption profile's combinations. Returns the memory string Azure expects. */
export function validateResources(cpu: number, memory: string, at: SettingField = []): string {
  const match = /^(\d+(?:\.\d+)?)Gi$/.exec(memory);
  const size = CONSUMPTION_SIZES.find((s) => s.cpu === cpu);
  if (!size || !match || Number(match[1]) !== size.cpu * 2) {
    const list = CONSUMPTION_SIZES.map((s) => `${s.cpu}/${s.memory}`).join(", ");
    throw new SettingError({
      field: [...at, "memory"],
      problem: `cpu/memory ${cpu}/${memory} is not a Consumption profile size`,
      fix: `Pick one of: ${list} (memory is twice the vCPU count, in Gi)`,
    });
  }
  return size.memory;
}

/** Replica ceiling the kit accepts (the portal's limit; higher needs a quota request anyway). */
export const MAX_REPLICAS = 300;

export function validateScale(minReplicas: number, maxReplicas: number, at: SettingField = []): void {
  const whole = (n: number) => Number.isInteger(n) && n >= 0;
  const bad = (field: string, problem: string, fix: string): never => {
    throw new SettingError({ field: [...at, field], problem, fix });
  };
  if (!whole(minReplicas)) bad("minReplicas", `${minReplicas} is not a whole number of replicas`, "Use 0 or more (0 scales to zero)");
  if (!whole(maxReplicas) || maxReplicas < 1) bad("maxReplicas", `${maxReplicas} is not a whole number of replicas of at least 1`, "Use 1 or more");
  if (minReplicas > maxReplicas) bad("maxReplicas", `minReplicas (${minReplicas}) is above maxReplicas (${maxReplicas})`, "Lower minReplicas or raise maxReplicas");
  if (maxReplicas > MAX_REPLICAS) bad("maxReplicas", `${maxReplicas} is above ${MAX_REPLICAS}`, "Lower it, or split the load across servers");
}

/** Container app names: 2-32 lowercase letters, digits and single '-', starting with a letter. */
export function validateContainerAppName(appName: string, at: SettingField = []): void {
  if (nameProblem(appName, NameRules.containerApp) !== undefined) {
    throw new SettingError({
      field: [...at, "appName"],
      problem: `"${appName}" is not a valid container app name`,
      fix: "Use 2-32 lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit",
    });
  }
}

export function validatePort(port: number, at: SettingField = []): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SettingError({ field: [...at, "port"], problem: `${port} is not a TCP port`, fix: "Use the port the server listens on (1-65535)" });
  }
}

export function validateHealthPath(path: string, at: SettingField = []): void {
  if (!URL_PATH.test(path)) {
    throw new SettingError({ field: [...at, "healthPath"], problem: `"${path}" is not an absolute URL path`, fix: "Use a path such as /healthz" });
  }
}

/** Shortest prefix accepted for a gateway subnet: wider ranges stop naming the gateway. */
export const MIN_GATEWAY_PREFIX_LENGTH = 16;

/**
 * Checks the CIDRs allowed to reach a server's ingress: well-formed IPv4 ranges, the network address,
 * no shorter than /16 (a rule for a whole VNet or the internet would let anything in).
 * @param field the list entry, e.g. `["gatewaySubnetCidrs", 0]`
 */
export function validateGatewayCidr(cidr: string, field: SettingField = ["gatewaySubnetCidrs"]): void {
  const bad = (problem: string, fix: string): never => {
    throw new SettingError({ field, problem: `"${cidr}" ${problem}`, fix });
  };
  if (cidr.includes(":")) bad("is IPv6; Container Apps IP restrictions take IPv4 ranges", "Use the subnet's IPv4 prefix");
  let parsed: [ipaddr.IPv4, number] | undefined;
  try {
    parsed = /^\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) ? ipaddr.IPv4.parseCIDR(cidr) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed) return bad("is not a CIDR range", "Use the gateway subnet's address prefix, e.g. 10.0.1.0/27");
  const [address, length] = parsed;
  if (length < MIN_GATEWAY_PREFIX_LENGTH) {
    bad(`is wider than /${MIN_GATEWAY_PREFIX_LENGTH} and would admit far more than the gateway`, "Use the API Management subnet's own prefix");
  }
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString();
  if (network !== address.toString()) bad("is not a network address", `Did you mean ${network}/${length}?`);
}

// ---------------------------------------------------------------------------------------------------
// Backend authentication
// ---------------------------------------------------------------------------------------------------

/** Refuses a value that is not a GUID; `what` says which id it should be. */
export function validateGuid(field: SettingField, value: string, what: string): void {
  if (!isGuid(value)) throw new SettingError({ field, problem: `"${value}" is not a GUID`, fix: `Use the ${what}` });
}

/** What each backend-auth id field holds, for error messages. */
export const BACKEND_AUTH_IDS = {
  tenantId: "Entra tenant id",
  clientId: "backend app registration's client id",
  allowedCallerClientIds: "gateway identity's client id",
  allowedCallerPrincipalIds: "gateway identity's principal (object) id",
} as const;

/** The backend-auth fields the checks need to see; values may still be unknown (Outputs). */
export interface BackendAuthShape {
  readonly tenantId: unknown;
  readonly clientId: unknown;
  readonly audience: unknown;
  readonly allowedCallerClientIds: readonly unknown[];
  readonly allowedCallerPrincipalIds: readonly unknown[];
}

/**
 * Checks that a server either authenticates its callers (`backendAuth`) or says, by name, that it doesn't
 * (`allowUnauthenticatedBackend: true`); known ids must be GUIDs and at least one caller must be allowed.
 */
export function validateBackendAuth(backendAuth: BackendAuthShape | undefined, allowUnauthenticatedBackend: boolean | undefined, at: SettingField = []): void {
  const name = (...field: SettingField) => fieldName([...at, ...field]);
  if (backendAuth === undefined) {
    if (allowUnauthenticatedBackend !== true) {
      throw new SettingError({
        field: [...at, "backendAuth"],
        problem: "is missing: without it, anything inside the VNet that reaches the app can call the MCP server without going through the gateway",
        fix:
          "Set backendAuth { tenantId, clientId, audience, allowedCallerClientIds, allowedCallerPrincipalIds } (the gateway's identity), " +
          `or opt out explicitly with ${name("allowUnauthenticatedBackend")}: true`,
      });
    }
    return;
  }
  if (allowUnauthenticatedBackend === true) {
    throw new SettingError({ field: [...at, "allowUnauthenticatedBackend"], problem: "is true although backendAuth is set", fix: "Remove allowUnauthenticatedBackend" });
  }
  const guidOrUnknown = (field: SettingField, what: keyof typeof BACKEND_AUTH_IDS, value: unknown) => {
    if (typeof value === "string") validateGuid([...at, "backendAuth", ...field], value, BACKEND_AUTH_IDS[what]);
  };
  guidOrUnknown(["tenantId"], "tenantId", backendAuth.tenantId);
  guidOrUnknown(["clientId"], "clientId", backendAuth.clientId);
  if (typeof backendAuth.audience === "string" && backendAuth.audience.trim().length === 0) {
    throw new SettingError({ field: [...at, "backendAuth", "audience"], problem: "is empty", fix: "Use the backend app's Application ID URI or client id" });
  }
  for (const field of ["allowedCallerClientIds", "allowedCallerPrincipalIds"] as const) {
    const list = backendAuth[field];
    if (list.length === 0) {
      throw new SettingError({ field: [...at, "backendAuth", field], problem: "is empty, so no caller could get in", fix: `Add the ${BACKEND_AUTH_IDS[field]}` });
    }
    list.forEach((value, i) => guidOrUnknown([field, i], field, value));
  }
}
