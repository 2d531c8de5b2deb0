/**
 * ARM-shaped ids for mocked resources, so cross-references in an offline plan read like a real
 * deployment: `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>`.
 */

/** One step of an ARM path: the resource type segment and the input holding its name. */
type Segment = readonly [armType: string, nameInput: string];

interface ArmShape {
  /** Provider namespace, e.g. `Microsoft.KeyVault`; `""` for resource groups. */
  readonly namespace: string;
  /** Path from the top-level resource down to this one. The last segment names this resource. */
  readonly path: readonly Segment[];
  /** Extension resources live under another resource (`scope`/`resourceUri` input) instead. */
  readonly scopeInput?: string;
}

const apim = (...rest: Segment[]): ArmShape => ({
  namespace: "Microsoft.ApiManagement",
  path: [["service", "serviceName"], ...rest],
});

const shapes: Record<string, ArmShape> = {
  "azure-native:resources:ResourceGroup": { namespace: "", path: [] },
  "azure-native:keyvault:Vault": { namespace: "Microsoft.KeyVault", path: [["vaults", "vaultName"]] },
  "azure-native:keyvault:Secret": {
    namespace: "Microsoft.KeyVault",
    path: [["vaults", "vaultName"], ["secrets", "secretName"]],
  },
  "azure-native:network:VirtualNetwork": {
    namespace: "Microsoft.Network",
    path: [["virtualNetworks", "virtualNetworkName"]],
  },
  "azure-native:network:Subnet": {
    namespace: "Microsoft.Network",
    path: [["virtualNetworks", "virtualNetworkName"], ["subnets", "subnetName"]],
  },
  "azure-native:network:NetworkSecurityGroup": {
    namespace: "Microsoft.Network",
    path: [["networkSecurityGroups", "networkSecurityGroupName"]],
  },
  "azure-native:network:PublicIPAddress": {
    namespace: "Microsoft.Network",
    path: [["publicIPAddresses", "publicIpAddressName"]],
  },
  "azure-native:network:NatGateway": {
    namespace: "Microsoft.Network",
    path: [["natGateways", "natGatewayName"]],
  },
  "azure-native:network:PrivateEndpoint": {
    namespace: "Microsoft.Network",
    path: [["privateEndpoints", "privateEndpointName"]],
  },
  "azure-native:network:PrivateDnsZoneGroup": {
    namespace: "Microsoft.Network",
    path: [["privateEndpoints", "privateEndpointName"], ["privateDnsZoneGroups", "privateDnsZoneGroupName"]],
  },
  "azure-native:privatedns:PrivateZone": {
    namespace: "Microsoft.Network",
    path: [["privateDnsZones", "privateZoneName"]],
  },
  "azure-native:privatedns:VirtualNetworkLink": {
    namespace: "Microsoft.Network",
    path: [["privateDnsZones", "privateZoneName"], ["virtualNetworkLinks", "virtualNetworkLinkName"]],
  },
  "azure-native:privatedns:PrivateRecordSet": {
    namespace: "Microsoft.Network",
    path: [["privateDnsZones", "privateZoneName"], ["A", "relativeRecordSetName"]],
  },
  "azure-native:operationalinsights:Workspace": {
    namespace: "Microsoft.OperationalInsights",
    path: [["workspaces", "workspaceName"]],
  },
  "azure-native:applicationinsights:Component": {
    namespace: "Microsoft.Insights",
    path: [["components", "resourceName"]],
  },
  "azure-native:monitor:DiagnosticSetting": {
    namespace: "Microsoft.Insights",
    path: [["diagnosticSettings", "name"]],
    scopeInput: "resourceUri",
  },
  "azure-native:managedidentity:UserAssignedIdentity": {
    namespace: "Microsoft.ManagedIdentity",
    path: [["userAssignedIdentities", "resourceName"]],
  },
  "azure-native:managedidentity:FederatedIdentityCredential": {
    namespace: "Microsoft.ManagedIdentity",
    path: [["userAssignedIdentities", "resourceName"], ["federatedIdentityCredentials", "federatedIdentityCredentialResourceName"]],
  },
  "azure-native:authorization:RoleAssignment": {
    namespace: "Microsoft.Authorization",
    path: [["roleAssignments", "roleAssignmentName"]],
    scopeInput: "scope",
  },
  "azure-native:authorization:ManagementLockByScope": {
    namespace: "Microsoft.Authorization",
    path: [["locks", "lockName"]],
    scopeInput: "scope",
  },
  "azure-native:cognitiveservices:Account": {
    namespace: "Microsoft.CognitiveServices",
    path: [["accounts", "accountName"]],
  },
  "azure-native:app:ManagedEnvironment": {
    namespace: "Microsoft.App",
    path: [["managedEnvironments", "environmentName"]],
  },
  "azure-native:app:ContainerApp": { namespace: "Microsoft.App", path: [["containerApps", "containerAppName"]] },
  "azure-native:app:ContainerAppsAuthConfig": {
    namespace: "Microsoft.App",
    path: [["containerApps", "containerAppName"], ["authConfigs", "authConfigName"]],
  },
  "azure-native:containerregistry:Registry": {
    namespace: "Microsoft.ContainerRegistry",
    path: [["registries", "registryName"]],
  },
  "azure-native:apimanagement:ApiManagementService": apim(),
  "azure-native:apimanagement:Api": apim(["apis", "apiId"]),
  "azure-native:apimanagement:ApiOperation": apim(["apis", "apiId"], ["operations", "operationId"]),
  "azure-native:apimanagement:ApiPolicy": apim(["apis", "apiId"], ["policies", "policyId"]),
  "azure-native:apimanagement:ApiOperationPolicy": apim(["apis", "apiId"], ["operations", "operationId"], ["policies", "policyId"]),
  "azure-native:apimanagement:ApiDiagnostic": apim(["apis", "apiId"], ["diagnostics", "diagnosticId"]),
  "azure-native:apimanagement:NamedValue": apim(["namedValues", "namedValueId"]),
  "azure-native:apimanagement:Backend": apim(["backends", "backendId"]),
  "azure-native:apimanagement:Logger": apim(["loggers", "loggerId"]),
  "azure-native:apimanagement:Diagnostic": apim(["diagnostics", "diagnosticId"]),
  "azure-native:apimanagement:Policy": apim(["policies", "policyId"]),
  "azure-native:apimanagement:PolicyFragment": apim(["policyFragments", "id"]),
  "azure-native:apimanagement:Product": apim(["products", "productId"]),
  "azure-native:apimanagement:ProductApi": apim(["products", "productId"], ["apis", "apiId"]),
  "azure-native:apimanagement:ProductPolicy": apim(["products", "productId"], ["policies", "policyId"]),
  "azure-native:apimanagement:Certificate": apim(["certificates", "certificateId"]),
};

/** `resources.Resource`: any ARM resource, addressed by namespace, parent path, type and name. */
const GENERIC_RESOURCE = "azure-native:resources:Resource";

export interface ArmIdContext {
  readonly subscriptionId: string;
  /** Used when a resource's `resourceGroupName` input is absent. */
  readonly defaultResourceGroup: string;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** The ARM resource type (`Microsoft.KeyVault/vaults`) of a Pulumi type token, when the kit knows it. */
export function armTypeOf(token: string): string | undefined {
  const shape = shapes[token];
  if (!shape) return undefined;
  if (shape.namespace === "") return "Microsoft.Resources/resourceGroups";
  return [shape.namespace, ...shape.path.map(([segment]) => segment)].join("/");
}

/**
 * The name Azure would give the resource: the input that holds it (e.g. `vaultName`), else the
 * logical name, as Pulumi's auto-naming would start from.
 */
export function physicalNameOf(token: string, logicalName: string, inputs: Record<string, unknown>): string {
  const shape = shapes[token];
  const last = shape?.path[shape.path.length - 1];
  if (token === "azure-native:resources:ResourceGroup") return text(inputs.resourceGroupName) ?? logicalName;
  if (token === GENERIC_RESOURCE) return text(inputs.resourceName) ?? logicalName;
  return (last && text(inputs[last[1]])) ?? text(inputs.name) ?? logicalName;
}

/**
 * The inputs that make up the resource's ARM path (its name, its parents' names, the resource group, the
 * scope of an extension resource): azure-native replaces a resource when one of them changes
 * (provider/pkg/provider/diff.go, calculateDetailedDiff: every "path" PUT parameter is a replace key).
 * Undefined for a type whose path the stand-in does not know.
 */
export function pathInputsOf(token: string): string[] | undefined {
  if (token === "azure-native:resources:ResourceGroup") return ["resourceGroupName"];
  if (token === GENERIC_RESOURCE) return ["resourceGroupName", "resourceProviderNamespace", "parentResourcePath", "resourceType", "resourceName"];
  const shape = shapes[token];
  if (!shape) return undefined;
  return [shape.scopeInput ?? "resourceGroupName", ...shape.path.map(([, input]) => input)];
}

/** An ARM id for a mocked resource. Unknown types get a generic id under their resource group. */
export function armIdOf(token: string, logicalName: string, inputs: Record<string, unknown>, ctx: ArmIdContext): string {
  const shape = shapes[token];
  const sub = `/subscriptions/${ctx.subscriptionId}`;
  const rg = text(inputs.resourceGroupName) ?? ctx.defaultResourceGroup;
  const name = physicalNameOf(token, logicalName, inputs);
  if (token === GENERIC_RESOURCE) {
    // The generic ARM resource names its own place: namespace, parent path, type and name.
    const parent = text(inputs.parentResourcePath);
    const path = [text(inputs.resourceProviderNamespace) ?? "unknown", ...(parent ? [parent] : []), text(inputs.resourceType) ?? "unknown", name];
    return `${sub}/resourceGroups/${rg}/providers/${path.join("/")}`;
  }
  if (!shape) {
    const [, module, type] = token.split(":");
    return `${sub}/resourceGroups/${rg}/providers/${module}/${type}/${name}`;
  }
  if (shape.namespace === "") return `${sub}/resourceGroups/${name}`;
  const segments = shape.path.map(([segment, input], i) =>
    i === shape.path.length - 1 ? `${segment}/${name}` : `${segment}/${text(inputs[input]) ?? "unknown"}`,
  );
  const base = shape.scopeInput ? (text(inputs[shape.scopeInput]) ?? `${sub}/resourceGroups/${rg}`) : `${sub}/resourceGroups/${rg}`;
  return `${base}/providers/${shape.namespace}/${segments.join("/")}`;
}
