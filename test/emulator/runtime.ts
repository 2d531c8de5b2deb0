// What every policy implementation works with: the settings, the expression bridge and the gateway's shared state.
import type { Document } from "@xmldom/xmldom";
import type { WireValue } from "./host";
import type { ExpressionBridge } from "./expressionBridge";
import type { EmulatorSettings } from "./messages";

export interface Counter {
  windowStart: number;
  count: number;
}

export interface CacheEntry {
  value: WireValue;
  expiresAt: number;
}

export interface PolicyRuntime {
  readonly options: EmulatorSettings;
  readonly expr: ExpressionBridge;
  /** Rate-limit and quota counters by key (shared by emulators that share state). */
  readonly counters: Map<string, Counter>;
  /** The gateway's internal cache (cache-store-value / cache-lookup-value). */
  readonly cache: Map<string, CacheEntry>;
  /** `include-fragment fragment-id` -> parsed `<fragment>` document. */
  readonly fragments: ReadonlyMap<string, Document>;
}
