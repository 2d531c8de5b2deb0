import type { TokenCredential } from "@azure/identity";
import { ConfigError } from "../infra/config/errors";
import { parsePlatformConfig } from "../infra/config/parse";
import { rawPlatformConfig } from "../infra/config/stackConfig";
import { synthesizePlan } from "../testing/mock/plan";
import { readStackFile } from "../testing/launcher/stackFile";
import { projectName } from "./plan";
import { checkGatewaySku, checkPromptShields } from "./preflight/checks/availability";
import { checkGraph } from "./preflight/checks/graph";
import { checkNames } from "./preflight/checks/names";
import { checkProviders } from "./preflight/checks/providers";
import { checkRegistries } from "./preflight/checks/registry";
import { checkExistingVault } from "./preflight/checks/existingVault";
import { checkRights } from "./preflight/checks/rights";
import { derivePreflightNeeds } from "./preflight/needs";
import { isBlocker, renderTable } from "./preflight/report";
import { AzureEndpoints, AzureRest, endpointProblem, PublicCloud } from "./preflight/rest";
import type { Check, CheckResult } from "./preflight/result";
import { verbOptions } from "./verbOptions";

const usage = `usage: hardened-mcp preflight --stack <name> [--dir .] [--subscription <id>] [--format table|json]
                               [--arm-endpoint <url>] [--graph-endpoint <url>] [--authority-host <url>]
  Checks, before the first \`pulumi up\` of a stack, what Azure needs and mocks cannot see: resource
  providers registered, your rights on every scope the plan writes (role assignments, locks), Microsoft
  Graph rights for the Entra objects, the globally unique names free (or soft-deleted: what to do),
  Prompt Shields in the Content Safety region, the gateway tier offered in the region, and each
  container registry reachable as the stack pulls from it (egress path, or its private endpoint), and a
  brought vault (keyVault.existing) in RBAC mode with purge protection and public network access disabled.
  Signs in with DefaultAzureCredential (az login, AZURE_CLIENT_ID/AZURE_TENANT_ID/..., workload or
  managed identity) and reads plain ARM and Graph REST endpoints; it changes nothing.
  --stack           stack whose Pulumi.<stack>.yaml is read (required)
  --dir             directory holding Pulumi.yaml and the stack files (default: current directory)
  --subscription    subscription id (default: the stack's subscriptionId, else AZURE_SUBSCRIPTION_ID)
  --format          table (default) or json (also lists what the plan needs: providers, actions per scope)
  --arm-endpoint    Resource Manager endpoint (default ${PublicCloud.arm})
  --graph-endpoint  Microsoft Graph endpoint (default ${PublicCloud.graph})
  --authority-host  Entra sign-in host (default ${PublicCloud.authorityHost})
Exit status: 0 ready, 1 a blocker (FAIL or UNKNOWN row, or an invalid stack config),
2 usage, an unreadable stack file, or no Azure credentials.`;

/** The checks, in the order of the table. */
const CHECKS: readonly Check[] = [checkProviders, checkRights, checkGraph, checkNames, checkPromptShields, checkGatewaySku, checkRegistries, checkExistingVault];

/** What a test replaces: the credential (a stub instead of a sign-in). */
export interface PreflightDependencies {
  readonly credential?: TokenCredential;
  readonly env?: NodeJS.ProcessEnv;
}

function fail(message: string): number {
  console.error(`hardened-mcp preflight: ${message}`);
  return 2;
}

async function defaultCredential(authorityHost: string): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential({ authorityHost });
}

/** `hardened-mcp preflight`: returns the process exit status. */
export async function runPreflight(argv: string[], deps: PreflightDependencies = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const options = verbOptions(
    "preflight",
    argv,
    {
      stack: { type: "string", short: "s" },
      dir: { type: "string" },
      subscription: { type: "string" },
      format: { type: "string" },
      "arm-endpoint": { type: "string" },
      "graph-endpoint": { type: "string" },
      "authority-host": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    usage,
  );
  if ("exit" in options) return options.exit;
  const values: Record<string, string | boolean | undefined> = options.values;
  const text = (key: string): string | undefined => (typeof values[key] === "string" ? (values[key] as string) : undefined);
  const stack = text("stack");
  if (!stack) return fail(`--stack is required\n${usage}`);
  const format = text("format") ?? "table";
  if (format !== "table" && format !== "json") return fail(`--format must be table or json, not "${format}"`);
  const endpoints: AzureEndpoints = {
    arm: (text("arm-endpoint") ?? PublicCloud.arm).replace(/\/+$/, ""),
    graph: (text("graph-endpoint") ?? PublicCloud.graph).replace(/\/+$/, ""),
    authorityHost: (text("authority-host") ?? PublicCloud.authorityHost).replace(/\/+$/, ""),
  };
  const problem =
    endpointProblem("--arm-endpoint", endpoints.arm) ?? endpointProblem("--graph-endpoint", endpoints.graph) ?? endpointProblem("--authority-host", endpoints.authorityHost);
  if (problem) return fail(problem);

  const dir = text("dir") ?? process.cwd();
  const project = projectName(dir);
  let config: Record<string, string>;
  let file: string;
  try {
    ({ config, file } = readStackFile(dir, stack, project));
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  const raw = rawPlatformConfig(config, project);
  let settings;
  try {
    settings = parsePlatformConfig(raw, { project, stack });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`hardened-mcp preflight: ${file}: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const subscriptionId = text("subscription") ?? (typeof raw.subscriptionId === "string" ? raw.subscriptionId : undefined) ?? env.AZURE_SUBSCRIPTION_ID;
  if (!subscriptionId) return fail("no subscription: set azure-native:subscriptionId in the stack, pass --subscription, or set AZURE_SUBSCRIPTION_ID");

  // Signed in first: without credentials nothing is checked, and the plan is not worth synthesizing.
  const rest = new AzureRest(deps.credential ?? (await defaultCredential(endpoints.authorityHost)), endpoints);
  try {
    await rest.token("arm");
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return fail(`no Azure credentials, so nothing was checked (${reason}). Sign in with az login, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a federated token), then run preflight again.`);
  }

  const parsed = settings;
  // The default program's steps with `require` (not its dynamic import, which tsx's CommonJS hook
  // does not resolve from a source checkout), loaded once the mock runtime is in place.
  const plan = await synthesizePlan({
    stack,
    project,
    config,
    program: () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: tsx's CommonJS hook resolves only require
      const { HardenedMcpPlatform } = require("../infra/platform") as typeof import("../infra/platform");
      new HardenedMcpPlatform(parsed.workload, parsed);
    },
  });
  const needs = derivePreflightNeeds(plan, settings, subscriptionId);

  const results: CheckResult[] = (await Promise.all(CHECKS.map((check) => check({ rest, needs })))).flat();
  if (format === "json") console.log(JSON.stringify({ stack, subscriptionId, needs, results }, null, 2));
  else {
    console.log(`Preflight for ${project}/${stack} in subscription ${subscriptionId} (${needs.location}):\n`);
    console.log(renderTable(results));
  }
  return results.some(isBlocker) ? 1 : 0;
}

export const run = (argv: string[]): Promise<number> => runPreflight(argv);
