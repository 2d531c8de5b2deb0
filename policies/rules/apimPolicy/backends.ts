import type { PolicyResource } from "@pulumi/policy";
import { collectStrings, get, ofTypes, Props, stackRule, str } from "../util";
import { ALL_POLICY_TYPES, attr, BACKEND, descendants, parsePolicy } from "./document";

/** How API Management authenticates to its backends. */

function hasCredentials(props: Props): boolean {
  const credentials = get(props, "credentials");
  return collectStrings(credentials).some((s) => s.trim() !== "");
}

export const apimBackendAuthenticated = stackRule({
  name: "azure-apim-backend-authenticated",
  description:
    "API Management must authenticate to every backend: with backend credentials, or with a managed-identity token (authentication-managed-identity) in a policy that routes to that backend.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["confused-deputy", "token-passthrough"],
  remediation:
    'Route with <set-backend-service backend-id="<id>" /> and add <authentication-managed-identity resource="api://<server app>" /> in the same policy (or set credentials on the Backend).',
  azurePolicy: [
    { name: "API Management calls to API backends should be authenticated", id: "c15dcc82-b93c-4dcb-9332-fbf121685b54" },
  ],
  validate: (args, report) => {
    const documents = ofTypes(args.resources, ALL_POLICY_TYPES)
      .map((p) => parsePolicy(p.props))
      .flatMap((p) => (p.kind === "xml" ? [descendants(p.root)] : []));
    for (const backend of ofTypes(args.resources, [BACKEND])) {
      if (hasCredentials(backend.props)) continue;
      const ids = [str(backend.props["backendId"]), backend.name].filter((i): i is string => i !== undefined).map((i) => i.toLowerCase());
      const withIdentity = documents.some(
        (elements) =>
          elements.some((e) => e.tagName === "set-backend-service" && ids.includes(attr(e, "backend-id").toLowerCase())) &&
          elements.some((e) => e.tagName === "authentication-managed-identity" && attr(e, "resource").trim() !== ""),
      );
      if (!withIdentity) {
        report(
          "The backend has no credentials and no policy routes to it with authentication-managed-identity; calls to it are unauthenticated.",
          backend.urn,
        );
      }
    }
  },
});


/** Ids (backendId and logical name, lower case) of the backends that carry their own credentials. */
export function credentialedBackendIds(resources: readonly PolicyResource[]): string[] {
  return ofTypes(resources, [BACKEND])
    .filter((b) => hasCredentials(b.props))
    .flatMap((b) => [str(b.props["backendId"]), b.name])
    .filter((i): i is string => i !== undefined)
    .map((i) => i.toLowerCase());
}
