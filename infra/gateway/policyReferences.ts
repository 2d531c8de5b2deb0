/**
 * A server's policy documents as they are published: known during `pulumi preview`.
 *
 * Why: four values in a server's policy exist only once Entra and Azure have created them: the MCP
 * application's client id and ID URI (the token audience, the scopes clients request), the backend
 * application's ID URI (the audience of the gateway's token to the server) and the gateway identity's
 * client id. Spliced into the XML, they would make the whole document unknown during a preview, and the
 * pack could not judge the security core (token validation, no passthrough, rate limits) before the first
 * deployment. So the documents reference them as APIM named values (`{{mcp-<server>-client-id}}`), which the
 * gateway substitutes before it evaluates the document, anywhere in it, expressions included (Learn: "Use
 * named values in Azure API Management policies"). The XML is then built from everything else, known at
 * preview; the named values hold the ids.
 *
 * How: the settings are resolved with placeholders in place of the four values (shaped like the real
 * ones, so every check runs), the documents are built, and each placeholder is replaced by its reference.
 * At deployment `assertSameDocument` proves that substituting the real values gives exactly the document
 * built from the real settings, so the published form can never drift from what the builders produce.
 */
import { isGuid } from "../../baseline/identifiers";
import type { McpNamedValue } from "./policy/namedValues";
import type { McpPolicySettingsInput } from "./policy/settingsTypes";

/** The values known only after deployment, which the published documents reference as named values. */
export type DeploymentValueKey = "clientId" | "applicationIdUri" | "backendAudience" | "gatewayIdentityClientId";

const SUFFIX: Record<DeploymentValueKey, string> = {
  clientId: "client-id",
  applicationIdUri: "application-id-uri",
  backendAudience: "backend-audience",
  gatewayIdentityClientId: "gateway-client-id",
};

/**
 * Stand-ins shaped like the real values (GUIDs, api:// URIs) so the settings validate. Version-4-shaped GUIDs
 * with a fixed, recognisable tail that neither Entra nor Azure would hand out for this server.
 */
const PLACEHOLDER: Record<DeploymentValueKey, string> = {
  clientId: "6d63702d-636c-4e74-8964-706c61636531",
  gatewayIdentityClientId: "6d63702d-6777-4964-8964-706c61636532",
  applicationIdUri: "api://6d63702d-6170-4970-8975-706c61636533",
  backendAudience: "api://6d63702d-6261-4e64-8975-706c61636534",
};

/** Replaced longest first, so a URI placeholder is never cut by a GUID one. */
const KEYS_BY_LENGTH = (Object.keys(PLACEHOLDER) as DeploymentValueKey[]).sort((a, b) => PLACEHOLDER[b].length - PLACEHOLDER[a].length);

/** Display name (= the `{{...}}` reference) of one deployment value's named value. */
export function deploymentValueName(server: string, key: DeploymentValueKey): string {
  return `mcp-${server}-${SUFFIX[key]}`;
}

/** The four deployment values, as McpServerApi resolves them. */
export type DeploymentValues = Readonly<Record<DeploymentValueKey, string>>;

/**
 * The settings values (`known`: everything else) with placeholders for the four deployment values and the
 * scopes under the placeholder ID URI; `scopeNames` are the short scope names (`mcp.invoke`).
 */
export function withPlaceholders<T extends object>(known: T, scopeNames: readonly string[]): T & DeploymentValues & { scopes: string[] } {
  return {
    ...known,
    clientId: PLACEHOLDER.clientId,
    applicationIdUri: PLACEHOLDER.applicationIdUri,
    scopes: scopeNames.map((name) => `${PLACEHOLDER.applicationIdUri}/${name}`),
    backendAudience: PLACEHOLDER.backendAudience,
    gatewayIdentityClientId: PLACEHOLDER.gatewayIdentityClientId,
  };
}

/** A document built from `withPlaceholders` settings, with every placeholder replaced by its `{{reference}}`. */
export function referenceDeploymentValues(server: string, document: string): string {
  let out = document;
  for (const key of KEYS_BY_LENGTH) out = out.split(PLACEHOLDER[key]).join(`{{${deploymentValueName(server, key)}}}`);
  return out;
}

/**
 * The named values that hold the deployment values, as the documents use them: GUIDs in lower case, as the
 * settings resolve them (`values` are the real ones).
 */
export function deploymentNamedValues(server: string, values: DeploymentValues): McpNamedValue[] {
  const value: Record<DeploymentValueKey, string> = {
    clientId: values.clientId.toLowerCase(),
    applicationIdUri: values.applicationIdUri,
    backendAudience: values.backendAudience,
    gatewayIdentityClientId: values.gatewayIdentityClientId.toLowerCase(),
  };
  return (Object.keys(SUFFIX) as DeploymentValueKey[]).map((key) => {
    const name = deploymentValueName(server, key);
    return { id: name, displayName: name, value: value[key], secret: false as const };
  });
}

/** `document` with its `{{name}}` references to `namedValues` substituted, as the gateway does. */
export function substituteNamedValues(document: string, namedValues: readonly McpNamedValue[]): string {
  let out = document;
  for (const nv of namedValues) out = out.split(`{{${nv.displayName}}}`).join(nv.value);
  return out;
}

/**
 * Throws unless the published document, with the real values substituted, is exactly the document built
 * from the real settings (`label` names it in the message).
 */
export function assertSameDocument(label: string, published: string, namedValues: readonly McpNamedValue[], built: string): void {
  if (substituteNamedValues(published, namedValues) !== built) {
    throw new Error(
      `${label}: the published policy (deployment values as named values) differs from the policy built from the deployed values. ` +
        "This is a defect in hardened-mcp: report it with the server's settings.",
    );
  }
}

/**
 * The published form of a settings input that holds the deployed values (as tests and tools build it): the same
 * input with placeholders for the deployment values, and the named values that hold the real ones. Build the
 * documents from `input`, then `referenceDeploymentValues`.
 */
export function publishedSettingsInput(input: McpPolicySettingsInput): { input: McpPolicySettingsInput; namedValues: McpNamedValue[] } {
  const clientId = input.audiences.find((a) => isGuid(a));
  if (clientId === undefined || input.applicationIdUri === undefined) {
    throw new Error(`publishedSettingsInput: the input of "${input.serverName}" needs a client id audience and an applicationIdUri.`);
  }
  const swap = (value: string) =>
    value.toLowerCase() === clientId.toLowerCase()
      ? PLACEHOLDER.clientId
      : value === input.applicationIdUri
        ? PLACEHOLDER.applicationIdUri
        : value;
  return {
    input: {
      ...input,
      audiences: input.audiences.map(swap),
      applicationIdUri: PLACEHOLDER.applicationIdUri,
      backend: { ...input.backend, audience: PLACEHOLDER.backendAudience, gatewayIdentityClientId: PLACEHOLDER.gatewayIdentityClientId },
    },
    namedValues: deploymentNamedValues(input.serverName, {
      clientId,
      applicationIdUri: input.applicationIdUri,
      backendAudience: input.backend.audience,
      gatewayIdentityClientId: input.backend.gatewayIdentityClientId,
    }),
  };
}
