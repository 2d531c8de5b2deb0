/** One fragment builder per gateway control; documents.ts orders them. */
export * from "./respond";
export * from "./inbound";
export * from "./promptShields";
export * from "./outbound";
export * from "./hygiene";
export * from "./toolList";
export * from "./resultScreening";
export * from "./shieldCalls";
