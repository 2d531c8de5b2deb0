/**
 * The default program (Pulumi.yaml `main`): the stack config, validated as a whole before any
 * resource exists, into one `HardenedMcpPlatform`. A bad config stops here with the list of every
 * problem (setting, what is wrong, how to fix it) and nothing registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/errors";
import { DEFAULT_WORKLOAD } from "./config/schema";
import { loadPlatformInput } from "./config/stackConfig";
import { HardenedMcpPlatform } from "./platform";

function platform(): HardenedMcpPlatform {
  const input = loadPlatformInput();
  try {
    // The component checks its input before it registers anything.
    return new HardenedMcpPlatform(typeof input.workload === "string" ? input.workload : DEFAULT_WORKLOAD, input);
  } catch (err) {
    // RunError: Pulumi prints the message alone, without a stack trace or program source.
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

const outputs = platform().outputs;

export const resourceGroupName = outputs.resourceGroupName;
export const gatewayUrl = outputs.gatewayUrl;
export const vaultUri = outputs.vaultUri;
/** The workloads' outbound address (the kit's NAT gateway), for upstream allow-lists; "" when egress is yours. */
export const egressIpAddress = outputs.egressIpAddress;
export const gatewayIdentityClientId = outputs.gatewayIdentityClientId;
export const gatewayIdentityPrincipalId = outputs.gatewayIdentityPrincipalId;
export const logAnalyticsWorkspaceId = outputs.logAnalyticsWorkspaceId;
/** Per server: mcpUrl, prmUrl, entraClientId, applicationIdUri, backendUrl, identityPrincipalId. */
export const servers = outputs.servers;
