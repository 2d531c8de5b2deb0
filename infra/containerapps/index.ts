export * from "./environment";
export * from "./mcpServer";
export * from "./validation";
