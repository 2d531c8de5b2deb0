export * from "./contentSafety";
