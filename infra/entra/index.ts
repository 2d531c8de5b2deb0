/** Entra ID for MCP servers: the applications the kit registers (or accepts) and what the gateway needs from them. */
export * from "./appInfo";
export * from "./identifiers";
export * from "./existingApplication";
export * from "./applicationSettings";
export * from "./backendApplication";
export * from "./mcpApplication";
