/**
 * The default program (Pulumi.yaml `main`): the stack config, validated as a whole before any
 * resource exists, into one `HardenedMcpPlatform`. A bad config stops here with the list of every
 * problem (setting, what is wrong, how to fix it) and nothing registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/errors";
import { loadPlatformSettings } from "./config/stackConfig";
import { HardenedMcpPlatform } from "./platform";

function loadSettings() {
  try {
    return loadPlatformSettings();
  } catch (err) {
    // RunError: Pulumi prints the message alone, without a stack trace or program source.
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

const settings = loadSettings();
const outputs = new HardenedMcpPlatform(settings.workload, settings).outputs;

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
