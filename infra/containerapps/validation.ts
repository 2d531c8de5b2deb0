/**
 * Pure checks on an MCP server's settings. Each throws an Error that names the setting
 * (`servers[<name>].<field>`), the problem and the fix; none touches Pulumi, so they run in plain unit
 * tests and in the config layer before any resource is declared.
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
export function validateKeyVaultSecretUrl(setting: string, url: string): void {
  if (parseKeyVaultSecretUrl(url) === undefined) {
    throw new Error(
      `${setting} "${url}" is not a Key Vault secret URL. Use https://<vault>.vault.azure.net/secrets/<name> ` +
        "(leave the version off so the app picks up rotations).",
    );
  }
}

/**
 * Checks an MCP server's environment: valid names, no name both plain and secret, and no plain value
 * under a name that looks like a credential (`SECRET_NAME` in baseline/secrets) unless listed in `allowPlainEnvNames`.
 */
export function validateServerEnvironment(
  server: string,
  env: Readonly<Record<string, unknown>>,
  secretEnvNames: readonly string[],
  allowPlainEnvNames: readonly string[] = [],
): void {
  const prefix = `servers[${server}]`;
  const allowed = new Set(allowPlainEnvNames);
  for (const name of [...Object.keys(env), ...secretEnvNames]) {
    if (!ENV_NAME.test(name)) {
      throw new Error(`${prefix}: environment variable name "${name}" is invalid. Use letters, digits and '_', not starting with a digit.`);
    }
  }
  for (const name of secretEnvNames) {
    if (Object.prototype.hasOwnProperty.call(env, name)) {
      throw new Error(`${prefix}: "${name}" is set both in env and in secrets. Keep it only in secrets.`);
    }
  }
  for (const name of Object.keys(env)) {
    if (looksSecretName(name) && !allowed.has(name)) {
      throw new Error(
        `${prefix}.env.${name} looks like a credential, and plain env values are stored in the app's ` +
          `definition for anyone with read access. Move it to ${prefix}.secrets.${name} with a ` +
          `keyVaultSecretUrl, or, if it really is not secret, list it in ${prefix}.allowPlainEnvNames.`,
      );
    }
  }
  for (const name of allowPlainEnvNames) {
    if (!Object.prototype.hasOwnProperty.call(env, name)) {
      throw new Error(`${prefix}.allowPlainEnvNames names "${name}", which is not in ${prefix}.env. Remove it.`);
    }
  }
  const seen = new Map<string, string>();
  for (const name of secretEnvNames) {
    const secretName = containerAppSecretName(name);
    if (secretName.length === 0) {
      throw new Error(`${prefix}.secrets.${name} has no letters or digits to name a Container Apps secret. Rename it.`);
    }
    const other = seen.get(secretName);
    if (other !== undefined) {
      throw new Error(`${prefix}.secrets: "${other}" and "${name}" map to the same Container Apps secret "${secretName}". Rename one.`);
    }
    seen.set(secretName, name);
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
export function validateResources(server: string, cpu: number, memory: string): string {
  const match = /^(\d+(?:\.\d+)?)Gi$/.exec(memory);
  const size = CONSUMPTION_SIZES.find((s) => s.cpu === cpu);
  if (!size || !match || Number(match[1]) !== size.cpu * 2) {
    const list = CONSUMPTION_SIZES.map((s) => `${s.cpu}/${s.memory}`).join(", ");
    throw new Error(
      `servers[${server}].cpu/memory ${cpu}/${memory} is not a Consumption profile size. ` +
        `Pick one of: ${list} (memory is twice the vCPU count, in Gi).`,
    );
  }
  return size.memory;
}

/** Replica ceiling the kit accepts (the portal's limit; higher needs a quota request anyway). */
export const MAX_REPLICAS = 300;

export function validateScale(server: string, minReplicas: number, maxReplicas: number): void {
  const whole = (n: number) => Number.isInteger(n) && n >= 0;
  if (!whole(minReplicas) || !whole(maxReplicas) || maxReplicas < 1) {
    throw new Error(
      `servers[${server}].minReplicas/maxReplicas ${minReplicas}/${maxReplicas} must be whole numbers, minReplicas >= 0 and maxReplicas >= 1.`,
    );
  }
  if (minReplicas > maxReplicas) {
    throw new Error(`servers[${server}].minReplicas (${minReplicas}) is above maxReplicas (${maxReplicas}). Lower minReplicas or raise maxReplicas.`);
  }
  if (maxReplicas > MAX_REPLICAS) {
    throw new Error(`servers[${server}].maxReplicas ${maxReplicas} is above ${MAX_REPLICAS}. Lower it, or split the load across servers.`);
  }
}

/** Container app names: 2-32 lowercase letters, digits and single '-', starting with a letter. */
export function validateContainerAppName(server: string, appName: string): void {
  if (nameProblem(appName, NameRules.containerApp) !== undefined) {
    throw new Error(
      `servers[${server}].appName "${appName}" is not a valid container app name. Use 2-32 lowercase letters, ` +
        "digits and single hyphens, starting with a letter and ending with a letter or digit.",
    );
  }
}

export function validatePort(server: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`servers[${server}].port ${port} is not a TCP port. Use the port the server listens on (1-65535).`);
  }
}

export function validateHealthPath(server: string, path: string): void {
  if (!URL_PATH.test(path)) {
    throw new Error(`servers[${server}].healthPath "${path}" must be an absolute URL path such as /healthz.`);
  }
}

/** Shortest prefix accepted for a gateway subnet: wider ranges stop naming the gateway. */
export const MIN_GATEWAY_PREFIX_LENGTH = 16;

/**
 * Checks the CIDRs allowed to reach a server's ingress: well-formed IPv4 ranges, the network address,
 * no shorter than /16 (a rule for a whole VNet or the internet would let anything in).
 */
export function validateGatewayCidr(server: string, cidr: string): void {
  const setting = `servers[${server}].gatewaySubnetCidrs`;
  if (cidr.includes(":")) {
    throw new Error(`${setting}: "${cidr}" is IPv6; Container Apps IP restrictions take IPv4 ranges. Use the subnet's IPv4 prefix.`);
  }
  let parsed: [ipaddr.IPv4, number] | undefined;
  try {
    parsed = /^\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) ? ipaddr.IPv4.parseCIDR(cidr) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed) {
    throw new Error(`${setting}: "${cidr}" is not a CIDR range. Use the gateway subnet's address prefix, e.g. 10.0.1.0/27.`);
  }
  const [address, length] = parsed;
  if (length < MIN_GATEWAY_PREFIX_LENGTH) {
    throw new Error(
      `${setting}: "${cidr}" is wider than /${MIN_GATEWAY_PREFIX_LENGTH} and would admit far more than the gateway. ` +
        "Use the API Management subnet's own prefix.",
    );
  }
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString();
  if (network !== address.toString()) {
    throw new Error(`${setting}: "${cidr}" is not a network address. Did you mean ${network}/${length}?`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Backend authentication
// ---------------------------------------------------------------------------------------------------


/** Refuses a value that is not a GUID; `setting` is the full setting path, `what` says which id it should be. */
export function validateGuid(setting: string, value: string, what: string): void {
  if (!isGuid(value)) {
    throw new Error(`${setting} "${value}" is not a GUID. Use the ${what}.`);
  }
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
export function validateBackendAuth(
  server: string,
  backendAuth: BackendAuthShape | undefined,
  allowUnauthenticatedBackend: boolean | undefined,
): void {
  const prefix = `servers[${server}]`;
  if (backendAuth === undefined) {
    if (allowUnauthenticatedBackend !== true) {
      throw new Error(
        `${prefix}.backendAuth is missing: without it, anything inside the VNet that reaches the app can call ` +
          "the MCP server without going through the gateway. Set backendAuth { tenantId, clientId, audience, " +
          "allowedCallerClientIds, allowedCallerPrincipalIds } (the gateway's identity), or opt out explicitly " +
          `with ${prefix}.allowUnauthenticatedBackend: true.`,
      );
    }
    return;
  }
  if (allowUnauthenticatedBackend === true) {
    throw new Error(`${prefix} sets both backendAuth and allowUnauthenticatedBackend: true. Remove allowUnauthenticatedBackend.`);
  }
  const guidOrUnknown = (field: keyof typeof BACKEND_AUTH_IDS, value: unknown) => {
    if (typeof value === "string") validateGuid(`${prefix}.backendAuth.${field}`, value, BACKEND_AUTH_IDS[field]);
  };
  guidOrUnknown("tenantId", backendAuth.tenantId);
  guidOrUnknown("clientId", backendAuth.clientId);
  if (typeof backendAuth.audience === "string" && backendAuth.audience.trim().length === 0) {
    throw new Error(`${prefix}.backendAuth.audience is empty. Use the backend app's Application ID URI or client id.`);
  }
  for (const field of ["allowedCallerClientIds", "allowedCallerPrincipalIds"] as const) {
    const list = backendAuth[field];
    if (list.length === 0) {
      throw new Error(`${prefix}.backendAuth.${field} is empty, so no caller could get in. Add the ${BACKEND_AUTH_IDS[field]}.`);
    }
    list.forEach((value) => guidOrUnknown(field, value));
  }
}
