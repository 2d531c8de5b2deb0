import type { PlatformSettings } from "../infra/config/settings";
import { settingPath } from "../infra/config/errors";
import { weakeningsInEffect } from "../infra/config/weakenings";
import { broughtResources } from "../infra/config/brought";
import type { Plan } from "../testing/planFile";
import { estimateMonthlyPrice, type PriceEstimate } from "./planSummaryPrices";
import { firstDeployTime, type DeployTime } from "./planSummaryTime";
import { renderPriceEstimate } from "./pricesRender";

/**
 * What `hardened-mcp plan` prints after the resource tree, and keeps in the plan file under `summary`: the
 * effective settings, every weakening set (by its setting name), the estimated monthly price and the first
 * deployment's duration.
 */

/** A weakening that is set: the stack-config key, its value, and what it gives up. */
export interface Weakening {
  readonly setting: string;
  readonly value: string;
  readonly effect: string;
}

/** A resource the stack config brings (an `existing` setting): the kit neither creates nor checks it. */
export interface Brought {
  readonly setting: string;
  readonly kind: string;
  readonly id: string;
  /** What its owner must guarantee, since this stack's pack cannot see it. */
  readonly guarantees: string;
}

export interface PlanSummary {
  /** One line per area, from the validated stack config; absent for your own program (--program). */
  readonly settings?: readonly string[];
  /** Absent when the settings are not the kit's (your own program). */
  readonly weakenings?: readonly Weakening[];
  /** The resources the stack config brings; absent when it brings none (or the settings are not the kit's). */
  readonly brought?: readonly Brought[];
  readonly price: PriceEstimate;
  readonly firstDeploy?: DeployTime;
}

/** Every weakening the stack config sets (infra/config/weakenings.ts), named as a config error names it (`<project>:<setting>`). */
export function weakeningsOf(s: PlatformSettings, namespace: string): Weakening[] {
  return weakeningsInEffect(s).map((w) => ({ setting: settingPath(w.setting, namespace), value: JSON.stringify(w.value), effect: w.effect }));
}

/** Every resource the stack config brings (infra/config/brought.ts), named by the setting that brings it. */
export function broughtOf(s: PlatformSettings, namespace: string): Brought[] {
  return broughtResources(s).map((b) => ({ setting: settingPath(b.setting, namespace), kind: b.kind, id: b.id, guarantees: b.guarantees }));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The effective settings, one line per area. */
export function settingsLines(s: PlatformSettings): string[] {
  const domain = s.gateway.customDomain ? `custom domain ${s.gateway.customDomain.hostName}${s.gateway.customDomain.bind ? "" : " (not bound yet)"}` : "no custom domain";
  const clients = s.entra.preAuthorizedClientIds.length + s.entra.allowedClientAppIds.length;
  const safety = s.contentSafety.enabled ? `Prompt Shields on (${s.contentSafety.failOpen ? "fails open" : "fails closed"}) in ${s.contentSafety.location}` : "Prompt Shields off";
  const alerts = s.monitoring.alerts ? `5 alert rules${s.monitoring.actionGroupId ? " to an action group" : ", no action group (alerts show in Azure Monitor only)"}` : "no alert rules";
  return [
    `region ${s.location}; gateway ${s.gateway.sku} x${s.gateway.capacity}, ${domain}; egress ${s.network.existing ? "the existing network's own" : s.network.egress.mode}`,
    `Entra ${s.entra.mode}; ${clients === 0 ? "any client application of the tenant" : plural(clients, "allowed client application")}; ${safety}`,
    `monitoring ${s.monitoring.existing ? "to an existing workspace" : `${s.monitoring.retentionInDays} days`}, ${alerts}, workbook`,
    `servers: ${s.servers.map((v) => `${v.name} (${v.image.includes("@sha256:") ? "pinned by digest" : "tag only"}, ${v.minReplicas}-${v.maxReplicas} replicas, ${plural(v.tools.length, "tool")}${v.registry?.privateEndpoint ? ", pulls over the registry's private endpoint" : ""})`).join(", ")}`,
  ];
}

export function summarizePlan(plan: Plan, settings?: { readonly settings: PlatformSettings; readonly namespace: string }): PlanSummary {
  const firstDeploy = firstDeployTime(plan);
  const brought = settings ? broughtOf(settings.settings, settings.namespace) : [];
  return {
    ...(settings ? { settings: settingsLines(settings.settings), weakenings: weakeningsOf(settings.settings, settings.namespace) } : {}),
    ...(brought.length > 0 ? { brought } : {}),
    price: estimateMonthlyPrice(plan),
    ...(firstDeploy ? { firstDeploy } : {}),
  };
}

/** The summary as `plan` prints it; `withSources` adds where each price was read. */
export function renderPlanSummary(summary: PlanSummary, withSources: boolean): string {
  const lines: string[] = [];
  if (summary.settings) {
    lines.push("Settings:", ...summary.settings.map((l) => `  ${l}`));
  } else {
    lines.push("Settings: your own program (--program) decides them; the kit's weakenings are listed for its default program only.");
  }
  if (summary.weakenings) {
    if (summary.weakenings.length === 0) lines.push("Weakenings: none (every secure default is in force).");
    else {
      lines.push(`Weakenings (${summary.weakenings.length}), each set by name in the stack config:`);
      for (const w of summary.weakenings) lines.push(`  ${w.setting}: ${w.value}  ${w.effect}`);
    }
  }
  if (summary.brought) {
    lines.push(`Brought (${summary.brought.length}), not created or checked by this stack's pack; their owners must guarantee:`);
    for (const b of summary.brought) lines.push(`  ${b.setting}: ${b.kind} ${b.id}`, `    ${b.guarantees}`);
  }
  lines.push("", ...renderPriceEstimate(summary.price, withSources));
  if (summary.firstDeploy) {
    const d = summary.firstDeploy;
    lines.push("", `First deployment: about ${d.minutes[0]}-${d.minutes[1]} minutes (the longest phase: ${d.longest}); later deployments are shorter.`);
    if (withSources) for (const step of d.path) lines.push(`  ${step}`);
  }
  return lines.join("\n");
}
