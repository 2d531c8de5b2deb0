import { PrivilegedRoles } from "../../../../baseline/roles";
import { patch, RuleCases, UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_OBJECT } from "../harness";

const WEB = "azure-native:web:WebApp";
const site = {
  kind: "functionapp,linux",
  httpsOnly: true,
  publicNetworkAccess: "Disabled",
  identity: { type: "UserAssigned", userAssignedIdentities: { "/uai": {} } },
  siteConfig: { minTlsVersion: "1.2", scmMinTlsVersion: "1.2", ftpsState: "Disabled", remoteDebuggingEnabled: false },
};
const w = (p: Record<string, unknown>, type = WEB) => ({ type, props: patch(site, p) });
const sc = (p: Record<string, unknown>) => w({ siteConfig: p });

const NSG = "azure-native:network:NetworkSecurityGroup";
const RULE = "azure-native:network:SecurityRule";
const rule = { name: "allow-apim", direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "ApiManagement", destinationPortRange: "3443", priority: 100 };
const nsg = (...rules: Record<string, unknown>[]) => ({ type: NSG, props: { securityRules: rules.map((r) => patch(rule, r)) } });
const SUBNET = "azure-native:network:Subnet";
const VNET = "azure-native:network:VirtualNetwork";

const RA = "azure-native:authorization:RoleAssignment";
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const VAULT_SCOPE = `${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv`;
const roleId = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const assignment = (p: Record<string, unknown>) => ({
  type: RA,
  props: patch({ principalId: "p", principalType: "ServicePrincipal", roleDefinitionId: roleId("4633458b-17de-408a-b874-0445c86b69e6"), scope: VAULT_SCOPE }, p),
});
const RD = "azure-native:authorization:RoleDefinition";
const definition = (actions: string[], dataActions: string[] = [], assignableScopes = [`${SUB}/resourceGroups/rg`]) => ({
  type: RD,
  props: { scope: `${SUB}/resourceGroups/rg`, roleName: "r", permissions: [{ actions, dataActions }], assignableScopes },
});
const FIC = "azure-native:managedidentity:FederatedIdentityCredential";
const fic = (p: Record<string, unknown>) => ({
  type: FIC,
  props: patch({ issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/mcp:environment:prod", audiences: ["api://AzureADTokenExchange"] }, p),
});

export const platformCases: Record<string, RuleCases> = {
  "azure-appservice-https-only": {
    pass: [w({}), w({}, "azure-native:web:WebAppSlot")],
    fail: [w({ httpsOnly: false }), w({ httpsOnly: undefined })],
    unknown: [w({ httpsOnly: UNKNOWN_BOOL })],
  },
  "azure-appservice-min-tls12": {
    // New apps default to TLS 1.2; ARM also takes the version as a number.
    pass: [w({}), sc({ minTlsVersion: "1.3", scmMinTlsVersion: undefined }), sc({ minTlsVersion: undefined }), sc({ minTlsVersion: 1.2, scmMinTlsVersion: 1.2 })],
    fail: [
      { ...sc({ minTlsVersion: "1.0" }), expect: ["[Site]"] },
      { ...sc({ minTlsVersion: 1.1 }), expect: ["[Site]"] },
      { ...sc({ minTlsVersion: undefined }), config: { strict: true }, expect: ["(advisory) [Implicit:siteConfig.minTlsVersion]"] },
      { ...sc({ scmMinTlsVersion: "1.1" }), expect: ["[Scm]"] },
    ],
    unknown: [sc({ minTlsVersion: UNKNOWN })],
  },
  "azure-appservice-ftps-disabled": {
    pass: [w({}), sc({ ftpsState: "FtpsOnly" })],
    fail: [sc({ ftpsState: "AllAllowed" }), sc({ ftpsState: undefined })],
    unknown: [sc({ ftpsState: UNKNOWN })],
  },
  "azure-appservice-remote-debugging-off": {
    pass: [w({}), sc({ remoteDebuggingEnabled: undefined })],
    fail: [sc({ remoteDebuggingEnabled: true }), { ...sc({ remoteDebuggingEnabled: undefined }), config: { strict: true }, expect: ["(advisory) [Implicit:siteConfig.remoteDebuggingEnabled]"] }],
    unknown: [sc({ remoteDebuggingEnabled: UNKNOWN_BOOL })],
  },
  "azure-appservice-managed-identity": {
    pass: [w({})],
    fail: [w({ identity: undefined }), w({ identity: { type: "None" } })],
    unknown: [w({ identity: UNKNOWN_OBJECT })],
  },
  "azure-appservice-public-network-disabled": {
    pass: [w({})],
    fail: [w({ publicNetworkAccess: "Enabled" }), w({ publicNetworkAccess: undefined })],
    unknown: [w({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-appservice-basic-auth-disabled": {
    pass: [
      { type: "azure-native:web:WebAppFtpAllowed", props: { name: "app", allow: false } },
      { type: "azure-native:web:WebAppScmAllowed", props: { name: "app", allow: false } },
    ],
    fail: [{ type: "azure-native:web:WebAppScmAllowed", props: { name: "app", allow: true } }, { type: "azure-native:web:WebAppFtpAllowed", props: { name: "app" } }],
    unknown: [{ type: "azure-native:web:WebAppFtpAllowed", props: { allow: UNKNOWN_BOOL } }],
  },
  "azure-network-nsg-no-internet-management-ports": {
    pass: [
      nsg({}),
      nsg({ sourceAddressPrefix: "VirtualNetwork", destinationPortRange: "22" }),
      nsg({ access: "Deny", sourceAddressPrefix: "*", destinationPortRange: "*" }),
      nsg({ direction: "Outbound", sourceAddressPrefix: "*", destinationPortRange: "22" }),
      nsg({ sourceAddressPrefix: "Internet", destinationPortRange: "443" }),
      { type: RULE, props: patch(rule, { protocol: "Udp", sourceAddressPrefix: "*", destinationPortRange: "3389" }) },
    ],
    fail: [
      { ...nsg({ name: "ssh", sourceAddressPrefix: "Internet", destinationPortRange: "22" }), expect: ["[ssh:22]"] },
      { ...nsg({ name: "any", sourceAddressPrefix: "*", destinationPortRange: "*" }), expect: ["[any:22]", "[any:3389]", "[any:5985]", "[any:5986]"] },
      { ...nsg({ name: "range", sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"], sourceAddressPrefix: undefined, destinationPortRanges: ["3000-4000"] }), expect: ["[range:3389]"] },
      { type: RULE, props: patch(rule, { name: "winrm", protocol: "*", sourceAddressPrefix: "Any", destinationPortRange: "5986" }), expect: ["[winrm:5986]"] },
    ],
    unknown: [nsg({ sourceAddressPrefix: UNKNOWN, destinationPortRange: "22" }), { type: NSG, props: { securityRules: UNKNOWN_ARRAY } }],
  },
  "azure-network-subnet-has-nsg": {
    pass: [
      { type: SUBNET, props: { name: "apim", networkSecurityGroup: { id: "/nsg" } } },
      { type: SUBNET, props: { name: "GatewaySubnet" } },
      { type: SUBNET, props: { name: "legacy" }, config: { exemptSubnets: ["legacy"] } },
      { type: VNET, props: { subnets: [{ name: "a", networkSecurityGroup: { id: "/nsg" } }, { name: "AzureFirewallSubnet" }] } },
    ],
    fail: [
      { type: SUBNET, props: { name: "aca", delegations: [{ serviceName: "Microsoft.App/environments" }] }, expect: ["[aca]"] },
      { type: VNET, props: { subnets: [{ name: "a", networkSecurityGroup: { id: "/nsg" } }, { name: "pe" }] }, expect: ["[pe]"] },
      { type: SUBNET, props: { name: "legacy" }, config: { exemptSubnets: ["other"] }, expect: ["[legacy]"] },
    ],
    unknown: [{ type: SUBNET, props: { name: "a", networkSecurityGroup: UNKNOWN_OBJECT } }],
  },
  "azure-rbac-no-privileged-roles": {
    pass: [assignment({}), { ...assignment({ roleDefinitionId: roleId(PrivilegedRoles.RoleBasedAccessControlAdministrator.id) }), config: { allowedRoles: ["RoleBasedAccessControlAdministrator"] } }],
    fail: [
      { ...assignment({ roleDefinitionId: roleId(PrivilegedRoles.Owner.id) }), expect: ["[Owner]"] },
      { ...assignment({ roleDefinitionId: PrivilegedRoles.Contributor.id }), expect: ["[Contributor]"] },
      { ...assignment({ roleDefinitionId: roleId(PrivilegedRoles.UserAccessAdministrator.id) }), config: { allowedRoles: ["Owner"] }, expect: ["[UserAccessAdministrator]"] },
    ],
    unknown: [assignment({ roleDefinitionId: UNKNOWN })],
  },
  "azure-rbac-no-broad-scope": {
    pass: [assignment({}), assignment({ scope: `${SUB}/resourceGroups/rg` })],
    fail: [
      { ...assignment({ scope: "/" }), expect: ["[root]"] },
      { ...assignment({ scope: "/providers/Microsoft.Management/managementGroups/mg" }), expect: ["[managementGroup]"] },
      { ...assignment({ scope: `${SUB}/` }), expect: ["[subscription]"] },
    ],
    unknown: [assignment({ scope: UNKNOWN })],
  },
  "azure-rbac-no-resource-group-scope": {
    pass: [assignment({}), assignment({ scope: SUB })],
    fail: [assignment({ scope: `${SUB}/resourceGroups/rg` })],
    unknown: [assignment({ scope: UNKNOWN })],
  },
  "azure-rbac-delegation-requires-condition": {
    pass: [
      assignment({}),
      assignment({ roleDefinitionId: roleId(PrivilegedRoles.RoleBasedAccessControlAdministrator.id), condition: "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})))", conditionVersion: "2.0" }),
      assignment({ roleDefinitionId: roleId(PrivilegedRoles.Owner.id) }),
    ],
    fail: [
      { ...assignment({ roleDefinitionId: roleId(PrivilegedRoles.UserAccessAdministrator.id) }), expect: ["[UserAccessAdministrator]"] },
      { ...assignment({ roleDefinitionId: roleId(PrivilegedRoles.RoleBasedAccessControlAdministrator.id), condition: " " }), expect: ["[RoleBasedAccessControlAdministrator]"] },
    ],
    unknown: [assignment({ roleDefinitionId: roleId(PrivilegedRoles.UserAccessAdministrator.id), condition: UNKNOWN })],
  },
  "azure-rbac-custom-role-no-wildcards": {
    pass: [definition(["Microsoft.KeyVault/vaults/read"], ["Microsoft.KeyVault/vaults/secrets/getSecret/action"])],
    fail: [
      { ...definition(["*"]), expect: ["[*]"] },
      { ...definition([], ["Microsoft.KeyVault/vaults/secrets/*"]), expect: ["dataActions"] },
    ],
    unknown: [{ type: RD, props: { permissions: [{ actions: UNKNOWN_ARRAY }] } }],
  },
  "azure-rbac-custom-role-no-role-assignment-write": {
    pass: [definition(["Microsoft.Authorization/roleAssignments/read"])],
    fail: [
      { ...definition(["Microsoft.Authorization/roleAssignments/write"]), expect: ["[Microsoft.Authorization/roleAssignments/write]"] },
      definition(["microsoft.authorization/roledefinitions/write"]),
    ],
    unknown: [{ type: RD, props: { permissions: UNKNOWN_ARRAY } }],
  },
  "azure-rbac-custom-role-narrow-assignable-scopes": {
    pass: [definition(["a/read"])],
    fail: [{ ...definition(["a/read"], [], [SUB]), expect: ["[subscription]"] }, { ...definition(["a/read"], [], ["/"]), expect: ["[root]"] }],
    unknown: [{ type: RD, props: { assignableScopes: [UNKNOWN] } }],
  },
  "azure-rbac-federated-credential-trusted-issuer": {
    pass: [
      fic({}),
      { ...fic({ issuer: "https://oidc.prod-aks.azure.com/tenant/issuer/" }), config: { trustedIssuers: ["https://oidc.prod-aks.azure.com/tenant/issuer"] } },
    ],
    fail: [
      { ...fic({ issuer: "https://evil.example.com" }), expect: ["[Issuer]"] },
      { ...fic({}), config: { trustedIssuers: ["https://app.terraform.io"] }, expect: ["[Issuer]"] },
      { ...fic({ audiences: ["api://other"] }), expect: ["[Audience]"] },
    ],
    unknown: [fic({ issuer: UNKNOWN })],
  },
  "azure-rbac-federated-credential-pinned-subject": {
    pass: [fic({})],
    fail: [fic({ subject: "repo:contoso/*" }), fic({ subject: "" }), fic({ subject: undefined })],
    unknown: [fic({ subject: UNKNOWN })],
  },
};
