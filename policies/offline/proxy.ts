import * as proxyModule from "@pulumi/policy/proxy";

/**
 * Typed handles on the SDK's unknown-value machinery: the very module the engine's analyzer uses, so
 * `instanceof UnknownValueError` matches what policies throw. `@pulumi/policy` 1.21 re-exports these from its
 * index, but its published declarations strip them (marked internal), so they are typed here; importing the
 * module directly also spares the CLI loading the gRPC server (about a second).
 */
const runtime = proxyModule as unknown as {
  unknownCheckingProxy<T extends object>(props: T): T;
  UnknownValueError: new (sentinel: string, props: string[]) => Error & { readonly props: string[] };
};
export const unknownCheckingProxy = runtime.unknownCheckingProxy;
export const UnknownValueError = runtime.UnknownValueError;

/** The sentinels the engine puts where a value is unknown at preview, one per type (proxy.js). */
const sentinels = proxyModule as unknown as Record<
  | "unknownBooleanValue"
  | "unknownNumberValue"
  | "unknownStringValue"
  | "unknownArrayValue"
  | "unknownAssetValue"
  | "unknownArchiveValue"
  | "unknownObjectValue",
  string
>;
export const UNKNOWN_SENTINELS = {
  boolean: sentinels.unknownBooleanValue,
  number: sentinels.unknownNumberValue,
  string: sentinels.unknownStringValue,
  array: sentinels.unknownArrayValue,
  asset: sentinels.unknownAssetValue,
  archive: sentinels.unknownArchiveValue,
  object: sentinels.unknownObjectValue,
} as const;
