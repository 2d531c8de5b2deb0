import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./errors";
import { parsePlatformConfig, PlatformContext } from "./parse";
import { PlatformSettings } from "./settings";

/** A stack's config as the engine hands it to the program: `{ "project:key": "string value" }`. */
export type EngineConfig = Readonly<Record<string, string>>;

/** Values Pulumi stores as JSON (objects, lists, numbers, booleans) come back as JSON text. */
function decode(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The `hardened-mcp:*` keys as one object, ready for `parsePlatformConfig`. Every key in the
 * namespace is included (so a misspelt key is reported, not ignored); the provider's
 * `azure-native:location` and `azure-native:subscriptionId` fill `location` and `subscriptionId`
 * when the namespace doesn't set them.
 */
export function rawPlatformConfig(config: EngineConfig, namespace = CONFIG_NAMESPACE): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const prefix = `${namespace}:`;
  for (const key of Object.keys(config).sort()) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = decode(config[key]);
  }
  if (raw.location === undefined && config["azure-native:location"] !== undefined) raw.location = config["azure-native:location"];
  if (raw.subscriptionId === undefined && config["azure-native:subscriptionId"] !== undefined) {
    raw.subscriptionId = config["azure-native:subscriptionId"];
  }
  return raw;
}

/**
 * Reads and validates the running stack's config: what the default program does first, before
 * any resource exists. Throws `ConfigError` listing every problem.
 */
export function loadPlatformSettings(context: PlatformContext = {}): PlatformSettings {
  const project = context.project ?? pulumi.getProject();
  const stack = context.stack ?? pulumi.getStack();
  return parsePlatformConfig(rawPlatformConfig(pulumi.runtime.allConfig(), project), { project, stack });
}

