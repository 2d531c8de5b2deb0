import type { PlatformSettings, ServerSettings } from "./settings";

/**
 * The weakenings: every setting that gives up a secure default, stated once. The plan lists the ones in
 * effect (cli/planSummary.ts), named by the same config paths a config error uses.
 */
interface PlatformWeakening {
  readonly setting: readonly string[];
  /** The value that weakens, when the setting holds it. */
  readonly weakened: (s: PlatformSettings) => unknown;
  readonly effect: string;
}

interface ServerWeakening {
  readonly field: string;
  readonly weakened: (server: ServerSettings) => unknown;
  readonly effect: string;
}

const PLATFORM: readonly PlatformWeakening[] = [
  {
    setting: ["contentSafety", "enabled"],
    weakened: (s) => (s.contentSafety.enabled ? undefined : false),
    effect: "no Prompt Shields screening of tool calls, results or tool definitions at the gateway",
  },
  {
    setting: ["contentSafety", "failOpen"],
    weakened: (s) => (s.contentSafety.enabled && s.contentSafety.failOpen ? true : undefined),
    effect: "calls pass unscreened while Content Safety is unreachable",
  },
  {
    setting: ["keyVault", "allowDestroy"],
    weakened: (s) => (s.keyVault.allowDestroy ? true : undefined),
    effect: "no Pulumi protect and no CanNotDelete lock on the vault: pulumi destroy removes it",
  },
  {
    setting: ["monitoring", "alerts"],
    weakened: (s) => (s.monitoring.alerts ? undefined : false),
    effect: "no alert rules: refusal spikes, Prompt Shields blocks and tool drift page nobody",
  },
];

const PER_SERVER: readonly ServerWeakening[] = [
  {
    field: "allowTagOnlyImages",
    weakened: (v) => (v.allowTagOnlyImages ? true : undefined),
    effect: "a mutable image tag: what runs can change without a deployment",
  },
  {
    field: "sharedClientAppQuota",
    weakened: (v) => (v.sharedClientAppQuota ? true : undefined),
    effect: "one client-app bucket for all of a client's users: a few callers can exhaust it for everyone",
  },
];

/** A weakening in effect: the setting as a config path (`["servers", 1, "allowTagOnlyImages"]`), its value, what it gives up. */
export interface WeakeningInEffect {
  readonly setting: readonly (string | number)[];
  readonly value: unknown;
  readonly effect: string;
}

/** Every weakening the settings hold, platform settings first, then each server's in order. */
export function weakeningsInEffect(s: PlatformSettings): WeakeningInEffect[] {
  const out: WeakeningInEffect[] = [];
  for (const w of PLATFORM) {
    const value = w.weakened(s);
    if (value !== undefined) out.push({ setting: w.setting, value, effect: w.effect });
  }
  s.servers.forEach((server, i) => {
    for (const w of PER_SERVER) {
      const value = w.weakened(server);
      if (value !== undefined) out.push({ setting: ["servers", i, w.field], value, effect: w.effect });
    }
  });
  return out;
}
