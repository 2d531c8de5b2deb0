/**
 * `hardened-mcp secrets list` and `secrets check`: every secret's state from its metadata only (no value
 * is read): still the kit's placeholder, expired, expiring soon, without an expiry, or disabled.
 */
import { parseArgs } from "util";
import { KEY_VAULT_OBJECT_NAME } from "../../baseline/identifiers";
import { PLACEHOLDER_CONTENT_TYPE } from "../../infra/keyvault/vault";
import { SecretsIo } from "./io";
import { explainVaultError } from "./vaultErrors";
import { parseVaultUrl } from "./vaultUrl";

export interface SecretMetadata {
  readonly name: string;
  readonly contentType?: string;
  readonly enabled?: boolean;
  readonly expiresOn?: Date;
  readonly updatedOn?: Date;
}

export type SecretState = "placeholder" | "expired" | "expiring" | "no-expiry" | "disabled" | "ok";

export interface SecretStatus extends SecretMetadata {
  readonly state: SecretState;
  /** Plain-language state with the fix; empty when ok. */
  readonly note: string;
}

const DAY = 86_400_000;

/** The most urgent state of one secret. */
export function classify(secret: SecretMetadata, now: Date, withinDays: number): SecretStatus {
  const days = secret.expiresOn ? Math.floor((secret.expiresOn.getTime() - now.getTime()) / DAY) : undefined;
  const [state, note]: [SecretState, string] =
    secret.contentType === PLACEHOLDER_CONTENT_TYPE
      ? ["placeholder", "still the placeholder the kit deployed; seed the real value with `hardened-mcp secrets seed`"]
      : secret.enabled === false
        ? ["disabled", "disabled; apps referencing it fail to start; enable it or seed a new version"]
        : secret.expiresOn && secret.expiresOn.getTime() <= now.getTime()
          ? ["expired", `expired on ${secret.expiresOn.toISOString().slice(0, 10)}; seed a new value now`]
          : days !== undefined && days < withinDays
            ? ["expiring", `expires in ${days} day${days === 1 ? "" : "s"}; rotate it and seed the new value`]
            : secret.expiresOn === undefined
              ? ["no-expiry", "has no expiry; seed it again with `secrets seed` (which sets one)"]
              : ["ok", ""];
  return { ...secret, state, note };
}

export const listUsage = `usage: hardened-mcp secrets list --vault-url <uri> [--within-days 30] [--json]
  Lists the vault's secrets (metadata only, never values): content type, expiry, and whether each still
  holds the kit's placeholder, has expired, expires within --within-days, has no expiry or is disabled.
  Needs "Key Vault Reader" (or "Key Vault Secrets Officer") on the vault and a network path to it.
Exit status: 0 listed, 1 the vault could not be read, 2 usage errors.`;

export const checkUsage = `usage: hardened-mcp secrets check --vault-url <uri> [--within-days 30] [--expect <name> ...] [--json]
  Like list, for pipelines: fails when any secret holds the placeholder, has expired, expires within
  --within-days (default 30), has no expiry or is disabled, or when an --expect'ed secret is missing.
Exit status: 0 all secrets fine, 1 a finding or the vault could not be read, 2 usage errors.`;

type Mode = "list" | "check";

function render(statuses: readonly SecretStatus[]): string[] {
  const rows = statuses.map((s) => [
    s.name,
    s.state,
    s.expiresOn ? s.expiresOn.toISOString().slice(0, 10) : "-",
    s.contentType ?? "-",
    s.note,
  ]);
  const header = ["SECRET", "STATE", "EXPIRES", "CONTENT TYPE", "WHAT TO DO"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ").trimEnd());
}

export async function runInventory(mode: Mode, argv: string[], io: SecretsIo): Promise<number> {
  const usage = mode === "list" ? listUsage : checkUsage;
  let values: { "vault-url"?: string; "within-days"?: string; expect?: string[]; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "vault-url": { type: "string" },
        "within-days": { type: "string" },
        expect: { type: "string", multiple: true },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`hardened-mcp secrets ${mode}: ${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const problems: string[] = [];
  const vault = parseVaultUrl(values["vault-url"]);
  if (typeof vault === "string") problems.push(vault);
  const within = values["within-days"] ?? "30";
  if (!/^\d+$/.test(within) || Number(within) > 730) problems.push(`--within-days "${within}" must be a whole number of days from 0 to 730.`);
  const expected = values.expect ?? [];
  if (mode === "list" && expected.length > 0) problems.push("--expect belongs to `secrets check`; list shows every secret.");
  for (const name of expected) if (!KEY_VAULT_OBJECT_NAME.test(name)) problems.push(`--expect "${name}" is not a Key Vault secret name.`);
  if (problems.length > 0 || typeof vault === "string") {
    for (const p of problems) io.err(`hardened-mcp secrets ${mode}: ${p}`);
    return 2;
  }

  const secrets: SecretMetadata[] = [];
  let lastBody: string | undefined;
  try {
    const pages = io.connect(vault).listPropertiesOfSecrets({ onResponse: (response) => void (lastBody = response.bodyAsText ?? undefined) });
    for await (const p of pages) {
      // Certificates' backing secrets are managed by Key Vault itself, not seeded.
      if (p.managed) continue;
      secrets.push({ name: p.name, contentType: p.contentType, enabled: p.enabled, expiresOn: p.expiresOn, updatedOn: p.updatedOn });
    }
  } catch (err) {
    io.err(`hardened-mcp secrets ${mode}: ${explainVaultError(err, vault, "read metadata", lastBody)}`);
    return 1;
  }
  const now = io.now();
  const statuses = secrets.sort((a, b) => a.name.localeCompare(b.name)).map((s) => classify(s, now, Number(within)));
  const names = new Set(secrets.map((s) => s.name.toLowerCase()));
  const missing = expected.filter((n) => !names.has(n.toLowerCase()));
  const findings = statuses.filter((s) => s.state !== "ok");

  if (values.json) {
    io.out(JSON.stringify({ vault: vault.url, withinDays: Number(within), secrets: statuses, missing }, null, 2));
  } else {
    if (statuses.length > 0) for (const line of render(statuses)) io.out(line);
    for (const name of missing) io.out(`missing: ${name} is not in the vault; deploy the stack that declares it, then seed it.`);
    io.out(
      `${statuses.length} secret${statuses.length === 1 ? "" : "s"} in ${vault.url}: ` +
        `${statuses.length - findings.length} fine, ${findings.length} need attention${missing.length > 0 ? `, ${missing.length} missing` : ""}.`,
    );
  }
  return mode === "check" && (findings.length > 0 || missing.length > 0) ? 1 : 0;
}
