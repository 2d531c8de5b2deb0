export * from "./environment";
export * from "./mcpServer";
export * from "./validation";
export * from "./registryEndpoint";
