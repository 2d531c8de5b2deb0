export * from "./entra";
export * from "./mcpServerApi";
export * from "./policy";
