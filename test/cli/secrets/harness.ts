/** Runs `hardened-mcp secrets ...` in-process against the fake vault, capturing what it prints. */
import { SecretClient } from "@azure/keyvault-secrets";
import type { TokenCredential } from "@azure/identity";
import { runSecrets } from "../../../cli/secrets";
import type { VaultTarget } from "../../../cli/secrets/vaultUrl";
import type { FakeKeyVault } from "./fakeKeyVault";

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** The vaults the verb connected to (none when it stopped before connecting). */
  readonly connected: VaultTarget[];
}

const fakeCredential: TokenCredential = {
  getToken: async () => ({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export async function runAgainst(
  vault: FakeKeyVault,
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; now?: Date } = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const connected: VaultTarget[] = [];
  const code = await runSecrets(argv, {
    env: options.env ?? {},
    readStdin: async () => options.stdin ?? "",
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    now: () => options.now ?? new Date("2026-06-01T00:00:00Z"),
    connect: (target) => {
      connected.push(target);
      // The fake's challenge names the public cloud's resource while it listens on 127.0.0.1.
      return new SecretClient(vault.url, fakeCredential, {
        tlsOptions: { ca: vault.ca },
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
      });
    },
  });
  return { code, out: out.join("\n"), err: err.join("\n"), connected };
}
