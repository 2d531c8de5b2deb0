/**
 * Seeds the MCP servers' secrets into the platform's Key Vault from the operator's machine, so secret
 * values never pass through Pulumi config or state. Values are read from environment variables; each
 * secret gets an expiry and a content type (the policy pack requires both).
 *
 *   npx tsx scripts/seed-secrets.ts --vault-url https://kv-mcp-dev-abc123.vault.azure.net \
 *     --secret weather-api-key=WEATHER_API_KEY --secret github-token=GITHUB_TOKEN [--expires-in-days 90]
 *
 * The signed-in identity (DefaultAzureCredential: az login, workload identity, managed identity) needs
 * "Key Vault Secrets Officer" on that vault, and network line of sight to it (the vault has public access
 * disabled: run from inside the VNet, e.g. a jump host or a self-hosted pipeline agent).
 */
import { parseArgs } from "util";
import { DefaultAzureCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";

export interface SecretSeed {
  /** Key Vault secret name. */
  readonly name: string;
  /** Environment variable holding the value. */
  readonly fromEnv: string;
}

/** Parses `name=ENV_VAR` pairs; Key Vault secret names are 1-127 alphanumerics and hyphens. */
export function parseSeeds(pairs: readonly string[]): SecretSeed[] {
  return pairs.map((pair) => {
    const match = /^([0-9A-Za-z-]{1,127})=([A-Za-z_][A-Za-z0-9_]*)$/.exec(pair);
    if (!match) {
      throw new Error(`--secret "${pair}" is not NAME=ENV_VAR (NAME: 1-127 letters, digits, hyphens).`);
    }
    return { name: match[1], fromEnv: match[2] };
  });
}

export function expiryFrom(now: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 1 || days > 730) {
    throw new Error(`--expires-in-days ${days} is out of range; use a whole number from 1 to 730.`);
  }
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "vault-url": { type: "string" },
      secret: { type: "string", multiple: true },
      "expires-in-days": { type: "string", default: "90" },
      "content-type": { type: "string", default: "text/plain" },
    },
  });
  const vaultUrl = values["vault-url"];
  if (!vaultUrl || !/^https:\/\/[a-z0-9-]+\.vault\.azure\.(net|cn|us)\/?$/i.test(vaultUrl)) {
    throw new Error("--vault-url must be the vault URI, e.g. https://kv-mcp-dev-abc123.vault.azure.net");
  }
  const seeds = parseSeeds(values.secret ?? []);
  const expiresOn = expiryFrom(new Date(), Number(values["expires-in-days"]));
  const client = new SecretClient(vaultUrl, new DefaultAzureCredential());
  for (const seed of seeds) {
    const value = process.env[seed.fromEnv];
    if (!value) throw new Error(`Environment variable ${seed.fromEnv} (for secret ${seed.name}) is empty or unset.`);
    await client.setSecret(seed.name, value, { expiresOn, contentType: values["content-type"] });
    console.log(`set ${seed.name} (expires ${expiresOn.toISOString().slice(0, 10)})`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(`seed-secrets: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 2;
    },
  );
}
