import * as pulumi from "@pulumi/pulumi";
import { WorkloadIdentity, WorkloadIdentityArgs } from "../identity/workloadIdentity";

/** The component type of `McpServer`, which the identity of a server deployed before 2026-12 sits under. */
export const MCP_SERVER_TYPE = "hardened-mcp:azure:McpServer";

const IDENTITY_TYPE = "azure-native:managedidentity:UserAssignedIdentity";

/**
 * A server's identity: a `WorkloadIdentity` named like the server's `McpServer` component, so its identity
 * resource is `<name>-id` as before. Until 2026-12 `McpServer` created that resource as its own child; here it
 * sits under the `WorkloadIdentity`, a new URN, so it carries an alias to where it was: `pulumi up` on a stack
 * deployed before keeps it. Without the alias the engine would replace it, and a replacement is an outage: the
 * identity has a fixed name so it is deleted first, the app loses its image pull and Key Vault references, and
 * every grant to it is re-created and must propagate again.
 *
 * The alias is added by a transformation of the component's children (the SDK applies a component's
 * transformations to every resource under it), so `WorkloadIdentity` itself needs no knowledge of its history.
 * @param formerParent the `McpServer` the identity used to sit under: the component, or its URN when the identity
 *   is created before it (`pulumi.createUrn(name, MCP_SERVER_TYPE, platform)`)
 */
export function mcpServerIdentity(
  name: string,
  args: WorkloadIdentityArgs,
  formerParent: pulumi.Resource | pulumi.Input<string>,
  opts: pulumi.ComponentResourceOptions,
): WorkloadIdentity {
  const aliasIdentity: pulumi.ResourceTransformation = (child) =>
    child.type === IDENTITY_TYPE && child.name === `${name}-id`
      ? { props: child.props, opts: pulumi.mergeOptions(child.opts, { aliases: [{ parent: formerParent }] }) }
      : undefined;
  return new WorkloadIdentity(name, args, { ...opts, transformations: [...(opts.transformations ?? []), aliasIdentity] });
}
