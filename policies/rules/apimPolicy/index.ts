import { Rule } from "../types";
import { apimBackendAuthenticated } from "./backends";
import {
  apimMcpBackendIdentity,
  apimMcpProtectedResourceMetadata,
  apimMcpRateLimit,
  apimMcpStripAuthorization,
  apimMcpTokenValidation,
  apimMcpWwwAuthenticate,
} from "./mcp";
import { apimPolicyCredentialNamedValues, apimPolicyNoInlineSecrets } from "./secrets";
import { apimPolicyHttpsTargets } from "./urls";

export { escapeExpressions, parsePolicy, parseXml, POLICY_TYPES } from "./document";
export { isMcpApi, mcpApis } from "./effective";

/** The rules that read API Management policy documents, split by concern (document, effective, mcp, backends, secrets). */
export const apimPolicyRules: Rule[] = [
  apimMcpTokenValidation,
  apimMcpStripAuthorization,
  apimMcpRateLimit,
  apimMcpProtectedResourceMetadata,
  apimMcpWwwAuthenticate,
  apimMcpBackendIdentity,
  apimBackendAuthenticated,
  apimPolicyNoInlineSecrets,
  apimPolicyHttpsTargets,
  apimPolicyCredentialNamedValues,
];
