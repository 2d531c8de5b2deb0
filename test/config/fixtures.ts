import * as fs from "fs";
import * as path from "path";
import { rawPlatformConfig } from "../../infra/config/stackConfig";
import { parseStackFile } from "../../testing/launcher/stackFile";

const file = path.join(__dirname, "..", "..", "Pulumi.dev.yaml");

/** Pulumi.dev.yaml as the engine hands it to the program. */
export function devEngineConfig(): Record<string, string> {
  return parseStackFile(fs.readFileSync(file, "utf8"), "hardened-mcp", file).config;
}

/** Pulumi.dev.yaml as the raw object `parsePlatformConfig` takes (a fresh copy each call). */
export function devRawConfig(): Record<string, any> {
  return rawPlatformConfig(devEngineConfig());
}

/** An engine config from a raw object: what `pulumi config set --path` would store. */
export function toEngineConfig(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[`hardened-mcp:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}
