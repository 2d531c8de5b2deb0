/**
 * URNs as the engine builds them (pulumi/pulumi sdk/go/common/resource/urn/urn.go `New`;
 * pkg/resource/deploy/deployment.go `generateURN`):
 *   urn:pulumi:<stack>::<project>::<qualified type>::<name>
 * where the qualified type is the parent's qualified type, `$`, then the resource's own type: every
 * ancestor's type, except the root stack's (`pulumi:pulumi:Stack`), which never appears in a child's URN.
 */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const PREFIX = "urn:pulumi:";
const DELIMITER = "::";

/** The qualified type of a URN: the part between project and name, e.g. `a:b:C$d:e:F`. */
export function qualifiedTypeOf(urn: string): string {
  if (!urn.startsWith(PREFIX)) throw new Error(`Not a URN: ${urn}`);
  const parts = urn.slice(PREFIX.length).split(DELIMITER);
  if (parts.length < 4) throw new Error(`Not a URN: ${urn}`);
  return parts[2];
}

/** The URN the engine gives `type` named `name` under `parent` ("" for none). */
export function urnOf(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent === "" ? "" : qualifiedTypeOf(parent);
  const qualified = parentType !== "" && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `${PREFIX}${stack}${DELIMITER}${project}${DELIMITER}${qualified}${DELIMITER}${name}`;
}

/**
 * A default provider's URN: top level, type `pulumi:providers:<package>`, named `default` or
 * `default_<major>_<minor>_<patch>` for a requested version (pkg/resource/deploy/providers/provider.go,
 * ProviderRequest.DefaultName; deployment.go defaultProviderURN).
 */
export function defaultProviderUrn(stack: string, project: string, pkg: string, version: string): string {
  const name = version === "" ? "default" : `default_${version.replace(/[.+-]/g, "_")}`;
  return urnOf(stack, project, "", `pulumi:providers:${pkg}`, name);
}
