/** `hardened-mcp secrets seed`: writes real values over the kit's placeholders, all inputs checked first. */
import { parseArgs } from "util";
import { SECRET_PLACEHOLDER } from "../../infra/keyvault/vault";
import { SecretsIo } from "./io";
import { parseSeedSpecs, resolveSeeds } from "./seedInputs";
import { explainVaultError } from "./vaultErrors";
import { parseVaultUrl } from "./vaultUrl";

export const seedUsage = `usage: hardened-mcp secrets seed --vault-url <uri> --secret <name>=<source> [--secret ...]
                                 [--expires-in-days 90] [--content-type text/plain]
  Sets each secret's value in the vault, with an expiry and a content type. Every input is read and
  checked before the first write, so a bad input writes nothing.
  --vault-url        the vault URI, e.g. https://kv-mcp-dev-abc123.vault.azure.net (also vault.azure.cn,
                     vault.usgovcloudapi.net)
  --secret           NAME=env:VARIABLE (or NAME=VARIABLE), NAME=file:PATH, or NAME=stdin (one secret at most);
                     never the value itself
  --expires-in-days  whole days from now until the secret expires, 1-730 (default 90)
  --content-type     the secret's content type (default text/plain)
  Signs in with DefaultAzureCredential (az login, workload identity, managed identity); needs the
  "Key Vault Secrets Officer" role on the vault and a network path to its private endpoint.
Exit status: 0 all written, 1 the vault refused a write, 2 usage or input errors (nothing written).`;

function expiryProblem(raw: string): string | undefined {
  const days = Number(raw);
  return /^\d+$/.test(raw) && days >= 1 && days <= 730
    ? undefined
    : `--expires-in-days "${raw}" must be a whole number of days from 1 to 730.`;
}

function contentTypeProblem(value: string): string | undefined {
  if (value.trim() === "") return "--content-type must not be empty.";
  if (/placeholder/i.test(value)) return `--content-type "${value}" marks a placeholder; \`secrets check\` would report the secret as unseeded.`;
  return undefined;
}

export async function runSeed(argv: string[], io: SecretsIo): Promise<number> {
  let values: { "vault-url"?: string; secret?: string[]; "expires-in-days"?: string; "content-type"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "vault-url": { type: "string" },
        secret: { type: "string", multiple: true },
        "expires-in-days": { type: "string" },
        "content-type": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`hardened-mcp secrets seed: ${err instanceof Error ? err.message : String(err)}\n${seedUsage}`);
    return 2;
  }
  if (values.help) {
    io.out(seedUsage);
    return 0;
  }

  const problems: string[] = [];
  const vault = parseVaultUrl(values["vault-url"]);
  if (typeof vault === "string") problems.push(vault);
  const pairs = values.secret ?? [];
  if (pairs.length === 0) problems.push("--secret is required at least once: NAME=env:VARIABLE, NAME=file:PATH or NAME=stdin.");
  const expiresIn = values["expires-in-days"] ?? "90";
  const contentType = values["content-type"] ?? "text/plain";
  for (const p of [expiryProblem(expiresIn), contentTypeProblem(contentType)]) if (p) problems.push(p);
  const parsed = parseSeedSpecs(pairs);
  problems.push(...parsed.problems);
  // Values are read even when other inputs are wrong, so one run reports every problem.
  const resolved = await resolveSeeds(parsed.specs, io, SECRET_PLACEHOLDER);
  problems.push(...resolved.problems);
  if (problems.length > 0 || typeof vault === "string") {
    io.err(`hardened-mcp secrets seed: nothing was written; ${problems.length} problem${problems.length === 1 ? "" : "s"}:`);
    for (const p of problems) io.err(`  - ${p}`);
    return 2;
  }

  const expiresOn = new Date(io.now().getTime() + Number(expiresIn) * 86_400_000);
  const store = io.connect(vault);
  const written: string[] = [];
  for (const seed of resolved.seeds) {
    try {
      await store.setSecret(seed.name, seed.value, { contentType, expiresOn, enabled: true });
    } catch (err) {
      io.err(`hardened-mcp secrets seed: could not write ${seed.name}: ${explainVaultError(err, vault, "write")}`);
      const rest = resolved.seeds.slice(written.length).map((s) => s.name);
      io.err(`  written: ${written.length > 0 ? written.join(", ") : "none"}; not written: ${rest.join(", ")}. Fix the cause and run the same command again (writing a secret again only adds a version).`);
      return 1;
    }
    written.push(seed.name);
    io.out(`set ${seed.name} from ${seed.from} (content type ${contentType}, expires ${expiresOn.toISOString().slice(0, 10)})`);
  }
  io.out(`${written.length} secret${written.length === 1 ? "" : "s"} written to ${vault.url}.`);
  return 0;
}
