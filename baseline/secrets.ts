/**
 * What a credential looks like, by name and by value: the components refuse plain settings that match,
 * and the pack flags them in any stack.
 */
import { GUID } from "./identifiers";

/**
 * Names of secret-looking settings (environment variables, named values, headers). `key` alone counts
 * (SIGNING_KEY, API_KEY, PRIVATE_KEY); a setting that looks secret but is not is listed by name
 * (`allowPlainEnvNames`) or exempted in the pack.
 */
export const SECRET_NAME =
  /(secret|password|passwd|(?<![a-z])pwd(?![a-z])|token|key|connection[-_]?string|conn[-_]?str|credential|(?<![a-z])sas(?![a-z]))/i;

export function looksSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Values that cannot be credentials even under a secret-looking name: URIs without user info (token
 * endpoints, audiences), GUIDs (client and tenant ids), numbers and booleans.
 */
export function isObviouslyNotSecret(value: string): boolean {
  const v = value.trim();
  return (
    v === "" ||
    /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v) ||
    GUID.test(v) ||
    /^-?\d+(\.\d+)?$/.test(v) ||
    /^(true|false)$/i.test(v)
  );
}

/**
 * Credentials that must never appear as literal text (policy XML, plain settings). Kept specific so
 * ordinary configuration does not trip them.
 */
export const SECRET_VALUE_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: "BearerToken", pattern: /\bBearer\s+ey[A-Za-z0-9_-]{10,}/ },
  { name: "Jwt", pattern: /\bey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/ },
  { name: "ClientSecret", pattern: /client_secret=(?!\{\{)[^&\s"']{6,}/i },
  { name: "SharedAccessSignature", pattern: /SharedAccessSignature\s+sr=|[?&]sig=[A-Za-z0-9%+/=]{20,}/i },
  { name: "AccountKey", pattern: /AccountKey=[A-Za-z0-9+/=]{20,}/i },
  { name: "SharedAccessKey", pattern: /SharedAccessKey=[A-Za-z0-9+/=]{20,}/i },
  { name: "PrivateKey", pattern: /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/ },
  { name: "UrlCredentials", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
];

/** The first secret pattern a text matches, if any. */
export function secretPatternIn(text: string): string | undefined {
  return SECRET_VALUE_PATTERNS.find((p) => p.pattern.test(text))?.name;
}

/** A plain setting that looks like a credential: its value matches a credential pattern, or its name does. */
export function plainCredential(name: string, value: string): { pattern?: string } | undefined {
  const pattern = secretPatternIn(value);
  if (pattern !== undefined) return { pattern };
  return SECRET_NAME.test(name) && !isObviouslyNotSecret(value) ? {} : undefined;
}
