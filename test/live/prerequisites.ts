import { execFileSync } from "child_process";

/** Whether a live test can run here, and if not, the reason printed instead. */
export interface Prerequisite {
  readonly ok: boolean;
  readonly reason: string;
}

function missingEnv(names: readonly string[]): string[] {
  return names.filter((n) => !process.env[n]);
}

function pulumiCliOnPath(): boolean {
  try {
    execFileSync("pulumi", ["version"], { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * A real `pulumi up` costs money and takes ~30-60 minutes (API Management), so it runs only when asked
 * for explicitly, with Azure credentials (OIDC or a client secret) and the Pulumi CLI present.
 */
export function deployPrerequisite(): Prerequisite {
  if (process.env.HARDENED_MCP_LIVE_DEPLOY !== "1") {
    return { ok: false, reason: "set HARDENED_MCP_LIVE_DEPLOY=1 to deploy a real stack (costs money; ~45 min)" };
  }
  const missing = missingEnv(["ARM_SUBSCRIPTION_ID", "ARM_TENANT_ID", "ARM_CLIENT_ID"]);
  if (missing.length > 0) return { ok: false, reason: `Azure credentials absent (${missing.join(", ")} unset)` };
  if (process.env.ARM_USE_OIDC !== "true" && !process.env.ARM_CLIENT_SECRET) {
    return { ok: false, reason: "neither ARM_USE_OIDC=true nor ARM_CLIENT_SECRET is set" };
  }
  if (!pulumiCliOnPath()) return { ok: false, reason: "the Pulumi CLI is not on PATH" };
  return { ok: true, reason: "" };
}

/** The smoke test probes an already-deployed gateway named by environment variables. */
export function smokePrerequisite(): Prerequisite {
  const missing = missingEnv(["HARDENED_MCP_GATEWAY_URL", "HARDENED_MCP_SERVER"]);
  if (missing.length > 0) return { ok: false, reason: `no live gateway to probe (${missing.join(", ")} unset)` };
  return { ok: true, reason: "" };
}

/** `describe` when the prerequisite holds; otherwise `describe.skip`, after printing why. */
export function describeIf(prerequisite: Prerequisite, title: string): jest.Describe {
  if (prerequisite.ok) return describe;
  // Straight to stderr: jest drops console output of a file whose tests all skip.
  process.stderr.write(`SKIPPED ${title}: ${prerequisite.reason}\n`);
  return describe.skip;
}
