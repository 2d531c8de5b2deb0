import { PolicyPack } from "@pulumi/policy";
import { hardenedMcpPolicies } from "./config/pack";

// Constructing a PolicyPack starts the analyzer's gRPC server: nothing else belongs in this file, and tests
// never import it. Settings come from `--policy-pack-config` (see README.md); to fix settings in code,
// pass them here: hardenedMcpPolicies({ all: "mandatory", exemptions: [...] }).
new PolicyPack("hardened-mcp-azure", {
  description: "Hardened MCP servers on Azure: gateway-only access, Entra tokens, Key Vault secrets, least privilege, private networking, monitoring.",
  policies: hardenedMcpPolicies(),
});
