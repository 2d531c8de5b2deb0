import type { Element } from "@xmldom/xmldom";
import { finding } from "../types";
import { get, peek, Props, resourceRule, secretPatternIn, str } from "../util";
import { ALL_POLICY_TYPES, attr, childElements, childTexts, descendants, GENERIC_RESOURCE, isGenericPolicyFragment, parsePolicy, text } from "./document";

/** Credentials written into policy documents. */

/** Headers and query parameters whose literal values are credentials. */
const CREDENTIAL_NAMES = ["authorization", "ocp-apim-subscription-key", "api-key", "x-api-key", "x-functions-key", "subscription-key", "code", "sig"];

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
    if ((e.tagName === "set-header" || e.tagName === "set-query-parameter") && CREDENTIAL_NAMES.includes(attr(e, "name").toLowerCase())) {
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
    "API Management policy documents must not contain credentials (subscription keys, bearer tokens, client secrets, SAS signatures, account keys); reference Key Vault named values instead.",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["token-passthrough", "supply-chain"],
  remediation: "Move the credential to a Key Vault-backed named value and reference it as {{name}}, or use authentication-managed-identity.",
  types: [...ALL_POLICY_TYPES, GENERIC_RESOURCE],
  validate: (resourceProps, args, report) => {
    let props = resourceProps;
    if (args.type === GENERIC_RESOURCE) {
      if (!isGenericPolicyFragment(props)) return;
      props = (peek(props, "properties") ?? {}) as Props;
    }
    const parsed = parsePolicy(props);
    if (parsed.kind === "link") return;
    if (parsed.kind === "invalid") {
      const raw = str(get(props, "value")) ?? "";
      const pattern = secretPatternIn(raw);
      report(finding("Unreadable", `The policy cannot be inspected: ${parsed.reason}.${pattern ? ` It contains a literal ${pattern}.` : ""}`));
      return;
    }
    for (const f of inlineSecrets(parsed.root)) report(finding(f.qualifier, f.message));
  },
});

