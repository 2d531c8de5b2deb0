/**
 * hardened-mcp-azure: hardened MCP servers on Azure behind an Entra-protected API Management gateway.
 *
 * Start with `HardenedMcpPlatform` and `parsePlatformConfig` (the whole platform from one validated
 * settings object), or compose the components yourself; either way the secure defaults apply and
 * every weakening is a named option.
 */
export { HardenedMcpPlatform } from "./platform";
export type { HardenedMcpPlatformArgs, McpServerEndpoints, PlatformServer } from "./platform";

// Settings: schema, validation with named errors, naming.
export * from "./config";

// Components.
export * from "./network";
export * from "./monitoring";
export * from "./keyvault";
export * from "./identity";
export * from "./contentsafety";
export * from "./containerapps";
export * from "./gateway";

// Cross-cutting helpers: the one way to grant a role, add diagnostics, or add a private endpoint.
export * from "./shared/types";
export { BuiltInRoles, PrivilegedRoles, isPrivilegedRole } from "../baseline/roles";
export type { BuiltInRole, BuiltInRoleKey } from "../baseline/roles";
export * from "./shared/roleAssignment";
export * from "./shared/diagnostics";
export * from "./shared/privateEndpoint";
export { deterministicGuid } from "./shared/guid";
