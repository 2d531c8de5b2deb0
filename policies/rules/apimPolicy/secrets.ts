import type { Element } from "@xmldom/xmldom";
import { looksSecretName } from "../../../baseline/secrets";
import { finding } from "../types";
import { get, resourceRule, secretPatternIn, stackRule, str } from "../util";
import { isKeyVaultSecret, namedValue, references } from "./namedValues";
import { ALL_POLICY_TYPES, attr, childElements, childTexts, descendants, GENERIC_RESOURCE, parsePolicy, policyDocuments, policyProps, text } from "./document";
import { providerTokensIn } from "./providerTokens";

/** Credentials written into policy documents. */

/**
 * Header and query-parameter names that carry credentials, in any case and spelling: the baseline's
 * secret-name pattern (`X-Api-Key`, `x_api_key`, `PRIVATE-TOKEN`, `Ocp-Apim-Subscription-Key`,
 * `client_secret`), plus the names HTTP and Azure use for credentials without saying so.
 */
const CREDENTIAL_PARAMETERS = ["authorization", "proxy-authorization", "cookie", "code", "sig", "auth"];

export function isCredentialName(name: string): boolean {
  return looksSecretName(name) || CREDENTIAL_PARAMETERS.includes(name.trim().toLowerCase());
}

/** A named-value reference `{{name}}` or a policy expression `@(...)` / `@{...}` is not a literal. */
function isLiteral(value: string): boolean {
  const v = value.trim();
  return v !== "" && !/^\{\{[^}]+\}\}$/.test(v) && !v.startsWith("@");
}

/** Secrets written into a policy document, as `qualifier: description` findings. */
export function inlineSecrets(root: Element): { qualifier: string; message: string }[] {
  const found: { qualifier: string; message: string }[] = [];
  for (const e of [root, ...descendants(root)]) {
    for (let i = 0; i < e.attributes.length; i++) {
      const a = e.attributes[i];
      const pattern = secretPatternIn(a.value);
      if (pattern) found.push({ qualifier: pattern, message: `<${e.tagName} ${a.name}="..."> holds a literal ${pattern}.` });
    }
    const own = childTexts(e);
    const pattern = own === "" ? undefined : secretPatternIn(own);
    if (pattern) found.push({ qualifier: pattern, message: `<${e.tagName}> holds a literal ${pattern}.` });
    if ((e.tagName === "set-header" || e.tagName === "set-query-parameter") && isCredentialName(attr(e, "name"))) {
      const literal = childElements(e).filter((v) => v.tagName === "value" && isLiteral(text(v)));
      if (literal.length > 0) {
        found.push({ qualifier: `Literal:${attr(e, "name")}`, message: `<${e.tagName} name="${attr(e, "name")}"> sets a literal credential.` });
      }
    }
    if (e.tagName === "authentication-basic" && isLiteral(attr(e, "password"))) {
      found.push({ qualifier: "BasicPassword", message: "<authentication-basic> has a literal password." });
    }
    // Symmetric signing or decryption keys written into validate-jwt let anyone who reads the policy mint tokens.
    if ((e.tagName === "issuer-signing-keys" || e.tagName === "decryption-keys") && childElements(e).some((k) => k.tagName === "key" && isLiteral(text(k)))) {
      found.push({ qualifier: "JwtKey", message: `<${e.tagName}> holds a literal key.` });
    }
  }
  return found;
}

export const apimPolicyNoInlineSecrets = resourceRule({
  name: "azure-apim-policy-no-inline-secrets",
  description:
    "API Management policy documents must not contain credentials (subscription keys, bearer tokens, client secrets, SAS signatures, account keys, provider tokens such as GitHub or Slack tokens, literal values of credential-named headers and query parameters); reference Key Vault named values instead.",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["token-passthrough", "supply-chain"],
  remediation: "Move the credential to a Key Vault-backed named value and reference it as {{name}}, or use authentication-managed-identity.",
  types: [...ALL_POLICY_TYPES, GENERIC_RESOURCE],
  validate: async (resourceProps, args, report) => {
    const props = policyProps({ type: args.type, props: resourceProps });
    if (props === undefined) return;
    const parsed = parsePolicy(props);
    if (parsed.kind === "link") return;
    if (parsed.kind === "invalid") {
      const raw = str(get(props, "value")) ?? "";
      const pattern = secretPatternIn(raw);
      report(finding("Unreadable", `The policy cannot be inspected: ${parsed.reason}.${pattern ? ` It contains a literal ${pattern}.` : ""}`));
      return;
    }
    for (const f of inlineSecrets(parsed.root)) report(finding(f.qualifier, f.message));
    for (const kind of await providerTokensIn(str(get(props, "value")) ?? "")) {
      report(finding(`Provider:${kind}`, `The policy holds a literal provider credential (${kind}, detected by secretlint's recommended preset).`));
    }
  },
});


/** Named values a document uses where a credential goes: credential-named headers and query parameters, passwords. */
export function credentialReferences(root: Element): { name: string; where: string }[] {
  const out: { name: string; where: string }[] = [];
  for (const e of descendants(root)) {
    if ((e.tagName === "set-header" || e.tagName === "set-query-parameter") && isCredentialName(attr(e, "name"))) {
      for (const v of childElements(e).filter((c) => c.tagName === "value")) {
        for (const name of references(text(v))) out.push({ name, where: `${e.tagName} ${attr(e, "name")}` });
      }
    }
    for (const a of ["password", "certificate-password"]) {
      for (const name of references(attr(e, a))) out.push({ name, where: `${e.tagName} ${a}` });
    }
    if (e.tagName === "set-body") {
      for (const m of text(e).matchAll(/(?:client_secret|password|api[_-]?key)=\{\{\s*([^}]+?)\s*\}\}/gi)) out.push({ name: m[1]!, where: "set-body" });
    }
  }
  return out;
}

export const apimPolicyCredentialNamedValues = stackRule({
  name: "azure-apim-policy-credential-named-values-keyvault",
  description:
    "A named value an API Management policy uses as a credential (in a credential-named header or query parameter, or as a password) must be a secret backed by Key Vault.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["token-passthrough", "supply-chain"],
  remediation:
    "Declare the named value with secret true and keyVault.secretIdentifier, read by the gateway's managed identity (https://learn.microsoft.com/azure/api-management/api-management-howto-properties).",
  azurePolicy: [
    { name: "API Management secret named values should be stored in Azure Key Vault", id: "f1cc7827-022c-473e-836e-5a51cae0b249" },
  ],
  validate: (args, report) => {
    for (const { resource, root } of policyDocuments(args.resources)) {
      for (const ref of credentialReferences(root)) {
        const nv = namedValue(args.resources, ref.name);
        if (nv !== undefined && !isKeyVaultSecret(nv)) {
          report(finding(ref.name, `{{${ref.name}}} is used as a credential (${ref.where}) but is not a Key Vault secret named value.`), resource.urn);
        }
      }
    }
  },
});
