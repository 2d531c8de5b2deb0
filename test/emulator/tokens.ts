/**
 * Test tokens shaped like Entra ID access tokens (v1 and v2), signed by an RSA key the test owns. The emulator
 * treats this key as the tenant's published signing key (what validate-azure-ad-token fetches from the
 * tenant's OpenID configuration).
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import * as jwt from "jsonwebtoken";

export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function generateTestKey(kid: string = randomUUID()): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

const impostors = new Map<string, TestKey>();
/**
 * A key the authority never published, under the authority key's `kid` (a forger copying the header): one per kid
 * and test process, since RSA key generation costs up to a second.
 */
export function impostorKey(kid: string): TestKey {
  let key = impostors.get(kid);
  if (key === undefined) impostors.set(kid, (key = generateTestKey(kid)));
  return key;
}

export interface TokenSpec {
  tenantId: string;
  /** `aud` claim. */
  audience: string;
  /** 2 = v2 (`iss` login.microsoftonline.com/<tid>/v2.0, `azp`); 1 = v1 (`iss` sts.windows.net/<tid>/, `appid`). @default 2 */
  version?: 1 | 2;
  /** Client application id (azp / appid). */
  clientAppId: string;
  oid: string;
  sub?: string;
  /** Delegated scopes (`scp`, space separated). */
  scopes?: readonly string[];
  /** App roles (`roles`). */
  roles?: readonly string[];
  /** Seconds since epoch, relative to `now`. */
  now: number;
  /** Lifetime from now. @default 3600 */
  lifetimeSeconds?: number;
  /** nbf offset from now. @default -60 */
  notBeforeOffsetSeconds?: number;
  /** Override `iss`. */
  issuer?: string;
  /** Override `tid`. */
  tid?: string;
  extraClaims?: Record<string, unknown>;
}

export function claimsFor(spec: TokenSpec): Record<string, unknown> {
  const version = spec.version ?? 2;
  const iss = spec.issuer ?? (version === 2 ? `https://login.microsoftonline.com/${spec.tenantId}/v2.0` : `https://sts.windows.net/${spec.tenantId}/`);
  return {
    aud: spec.audience,
    iss,
    iat: spec.now - 60,
    nbf: spec.now + (spec.notBeforeOffsetSeconds ?? -60),
    exp: spec.now + (spec.lifetimeSeconds ?? 3600),
    tid: spec.tid ?? spec.tenantId,
    oid: spec.oid,
    sub: spec.sub ?? `sub-${spec.oid}`,
    ver: version === 2 ? "2.0" : "1.0",
    ...(version === 2 ? { azp: spec.clientAppId, azpacr: "0" } : { appid: spec.clientAppId, appidacr: "0" }),
    ...(spec.scopes && spec.scopes.length > 0 ? { scp: spec.scopes.join(" ") } : {}),
    ...(spec.roles && spec.roles.length > 0 ? { roles: [...spec.roles] } : {}),
    ...spec.extraClaims,
  };
}

export function signToken(key: TestKey, claims: Record<string, unknown>): string {
  return jwt.sign(claims, key.privateKey, { algorithm: "RS256", keyid: key.kid, noTimestamp: true });
}

/** `alg: none`: header and payload, empty signature. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
}

/** A correctly signed token whose payload was then changed (e.g. roles added): the signature no longer matches. */
export function tamperedToken(token: string, changes: Record<string, unknown>): string {
  const [h, p, s] = token.split(".");
  const payload = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
  return `${h}.${Buffer.from(JSON.stringify({ ...payload, ...changes })).toString("base64url")}.${s}`;
}

/** Decoded payload of a JWT-shaped string, without verification (for assertions on what reached the backend). */
export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.replace(/^Bearer\s+/i, "").split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
}
