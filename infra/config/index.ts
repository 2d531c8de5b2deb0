export * from "./errors";
export * from "./settings";
export * from "./schema";
export * from "./naming";
export * from "./parse";
export * from "./derive";
export * from "./stackConfig";
export { crossChecks } from "./crossChecks";
