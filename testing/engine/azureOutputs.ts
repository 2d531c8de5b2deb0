/**
 * What the providers answer for a new resource, modelled on azure-native and azuread so a plan and
 * a preview read like the real thing:
 * - up: the inputs, the physical name, an ARM id (a Microsoft Graph path for azuread) and the
 *   outputs Azure computes, made up deterministically from the name;
 * - preview: azure-native's Create with `preview: true` returns the inputs mapped onto the outputs and
 *   every other output unknown (pulumi/pulumi-azure-native provider/pkg/provider/provider.go, Create;
 *   provider/pkg/convert, SdkShapeConverter.PreviewOutputs), and the engine leaves a new resource's id
 *   unknown. So `name`, `id`, principal ids, URIs are unknown unless the program passed them in.
 */
import { deterministicGuid } from "../../infra/shared/guid";
import { armIdOf, ArmIdContext, physicalNameOf } from "./armIds";
import { UNKNOWN } from "./wire";

type Props = Record<string, unknown>;

/**
 * Outputs Azure computes that the kit reads (principal ids, URIs, domains), made up deterministically
 * from the resource's name so two plans of the same config are identical.
 */
export function computedOutputs(type: string, name: string, inputs: Record<string, unknown>, generation = 0): Record<string, unknown> {
  // A replacement is a new object: Azure gives it new principal and client ids.
  const guid = (what: string) => (generation === 0 ? deterministicGuid(type, name, what) : deterministicGuid(type, name, what, String(generation)));
  const identity = inputs.identity as { type?: string } | undefined;
  const systemIdentity =
    identity && typeof identity.type === "string" && identity.type.includes("SystemAssigned")
      ? { identity: { ...identity, principalId: guid("principalId"), tenantId: guid("tenantId") } }
      : {};
  switch (type) {
    case "azure-native:managedidentity:UserAssignedIdentity":
      return { principalId: guid("principalId"), clientId: guid("clientId"), tenantId: guid("tenantId") };
    case "azure-native:keyvault:Vault":
      return { properties: { ...(inputs.properties as object), vaultUri: `https://${name}.vault.azure.net/` } };
    case "azure-native:operationalinsights:Workspace":
      return { customerId: guid("customerId") };
    case "azure-native:applicationinsights:Component":
      return {
        appId: guid("appId"),
        instrumentationKey: guid("instrumentationKey"),
        connectionString: `InstrumentationKey=${guid("instrumentationKey")};IngestionEndpoint=https://example.in.applicationinsights.azure.com/`,
      };
    case "azure-native:cognitiveservices:Account": {
      const props = (inputs.properties ?? {}) as { customSubDomainName?: string };
      const sub = props.customSubDomainName ?? name;
      return { ...systemIdentity, properties: { ...props, endpoint: `https://${sub}.cognitiveservices.azure.com/` } };
    }
    case "azure-native:app:ManagedEnvironment":
      return { ...systemIdentity, defaultDomain: `${name}.${guid("domain").slice(0, 8)}.azurecontainerapps.io`, staticIp: "10.0.0.250" };
    case "azure-native:app:ContainerApp":
      return { ...systemIdentity, latestRevisionFqdn: `${name}--rev1.internal.azurecontainerapps.io`, outboundIpAddresses: [] };
    case "azuread:index/application:Application":
      return { clientId: guid("clientId"), objectId: guid("objectId") };
    case "azuread:index/servicePrincipal:ServicePrincipal":
      return { objectId: guid("objectId") };
    case "azure-native:network:PublicIPAddress":
      // An address from TEST-NET-3 (RFC 5737): plainly an example in a plan.
      return { ipAddress: `203.0.113.${parseInt(guid("ip").slice(0, 2), 16) % 254 + 1}` };
    case "azure-native:apimanagement:ApiManagementService":
      return {
        ...systemIdentity,
        gatewayUrl: `https://${name}.azure-api.net`,
        privateIPAddresses: ["10.0.0.4"],
        publicIPAddresses: [],
      };
    default:
      return systemIdentity;
  }
}

/**
 * Entra objects are not ARM resources: the azuread provider's ids are Microsoft Graph paths such as
 * `/applications/<object id>` (made up deterministically here, like every mocked id).
 */
export function graphIdOf(type: string, name: string, generation = 0): string {
  const kind = /^azuread:index\/([A-Za-z]+):/.exec(type)?.[1] ?? "objects";
  const objectId = generation === 0 ? deterministicGuid(type, name, "objectId") : deterministicGuid(type, name, "objectId", String(generation));
  return `/${kind}s/${objectId}`;
}

function isObject(value: unknown): value is Props {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every leaf of a computed-outputs object, unknown: the shape stays, the values are not known yet. */
function unknownLeaves(value: unknown): unknown {
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unknownLeaves(v)]));
  return UNKNOWN;
}

/** `base` with the keys of `extra` it lacks; objects merge key by key, the program's inputs win. */
function mergeMissing(base: unknown, extra: unknown): unknown {
  if (base === undefined) return extra;
  if (!isObject(base) || !isObject(extra)) return base;
  const out: Props = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = mergeMissing(base[k], v);
  return out;
}

export interface ProviderAnswer {
  /** "" at preview: the engine has no id for a resource it has not created. */
  readonly id: string;
  readonly outputs: Props;
}

/** The provider's answer for creating `type` named `logicalName` from `inputs` (see the file comment). */
export function answerCreate(type: string, logicalName: string, inputs: Props, ctx: ArmIdContext, preview: boolean, generation = 0): ProviderAnswer {
  const physical = physicalNameOf(type, logicalName, inputs);
  const computed = { name: physical, ...computedOutputs(type, physical, inputs, generation) };
  if (preview) return { id: "", outputs: mergeMissing(inputs, unknownLeaves(computed)) as Props };
  const id = type.startsWith("azuread:") ? graphIdOf(type, logicalName, generation) : armIdOf(type, logicalName, inputs, ctx);
  return { id, outputs: { ...inputs, ...computed } };
}
