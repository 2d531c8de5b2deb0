export * from "./vault";
