/**
 * A local stand-in for Key Vault's data plane over HTTPS on 127.0.0.1 (the Azure SDK refuses bearer
 * tokens over plain HTTP): the challenge handshake, PUT /secrets/{name} and GET /secrets, with failures
 * a test can switch on. The certificate is made for the run with openssl.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";

export interface StoredSecret {
  value: string;
  contentType?: string;
  enabled: boolean;
  exp?: number;
  updated: number;
  managed?: boolean;
}

export interface Failure {
  readonly status: number;
  readonly code: string;
  readonly inner?: string;
  readonly message: string;
}

export interface FakeKeyVault {
  readonly url: string;
  readonly ca: string;
  readonly secrets: Map<string, StoredSecret>;
  /** Every authenticated request, in order (method and path). */
  readonly requests: string[];
  /** The failure answered to authenticated requests from the `after`-th (0-based) on. */
  failFrom(after: number, failure: Failure): void;
  /** Empties the vault, the request log and the failure (one server per test file). */
  reset(): void;
  close(): Promise<void>;
}

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kv-"));
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
  ], { stdio: "ignore" });
  const pair = { key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(cert, "utf8") };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

export async function startFakeKeyVault(): Promise<FakeKeyVault> {
  const { key, cert } = selfSignedCertificate();
  const secrets = new Map<string, StoredSecret>();
  const requests: string[] = [];
  let failure: { after: number; failure: Failure } | undefined;
  let base = "";
  let version = 0;

  const bundle = (name: string, s: StoredSecret, withValue: boolean) => ({
    ...(withValue ? { value: s.value } : {}),
    id: `${base}/secrets/${name}${withValue ? `/${(++version).toString(16).padStart(32, "0")}` : ""}`,
    contentType: s.contentType,
    managed: s.managed,
    attributes: { enabled: s.enabled, exp: s.exp, created: s.updated, updated: s.updated, recoveryLevel: "Recoverable" },
  });

  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(body === undefined ? "" : JSON.stringify(body));
      };
      if (!req.headers.authorization) {
        // Key Vault's challenge: the client learns the tenant and the resource, then retries with a token.
        send(401, { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } }, {
          "www-authenticate": 'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001", resource="https://vault.azure.net"',
        });
        return;
      }
      const url = new URL(req.url ?? "/", base);
      requests.push(`${req.method} ${url.pathname}`);
      if (failure && requests.length - 1 >= failure.after) {
        const f = failure.failure;
        send(f.status, { error: { code: f.code, message: f.message, ...(f.inner ? { innererror: { code: f.inner } } : {}) } });
        return;
      }
      const put = /^\/secrets\/([0-9A-Za-z-]+)$/.exec(url.pathname);
      if (req.method === "PUT" && put) {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          value: string;
          contentType?: string;
          attributes?: { enabled?: boolean; exp?: number };
        };
        const stored: StoredSecret = {
          value: body.value,
          contentType: body.contentType,
          enabled: body.attributes?.enabled ?? true,
          exp: body.attributes?.exp,
          updated: Math.floor(Date.now() / 1000),
        };
        secrets.set(put[1], stored);
        send(200, bundle(put[1], stored, true));
        return;
      }
      if (req.method === "GET" && url.pathname === "/secrets") {
        send(200, { value: [...secrets].map(([name, s]) => bundle(name, s, false)), nextLink: null });
        return;
      }
      send(404, { error: { code: "NotFound", message: `no route ${req.method} ${url.pathname}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    ca: cert,
    secrets,
    requests,
    failFrom: (after, f) => {
      failure = { after, failure: f };
    },
    reset: () => {
      secrets.clear();
      requests.length = 0;
      failure = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
