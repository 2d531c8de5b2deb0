export * from "./service";
export * from "./serviceSku";
export * from "./mcpServerApi";
export * from "./refusalFragment";
export * from "../entra";
export * from "./policy";
