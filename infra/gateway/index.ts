export * from "./service";
export * from "./serviceSku";
export * from "./mcpServerApi";
export * from "./entra";
export * from "./policy";
