/**
 * `hardened-mcp clients`: ready-to-paste MCP client configurations for a deployed stack, from its outputs
 * (`pulumi stack output --json`) and its config file (tenant, pre-authorized and allowed client ids), with
 * the Entra steps each client needs. Which client works with which gateway set-up, and why, is in
 * docs/clients.md; the configurations printed here are the ones test/e2e/discovery.test.ts runs.
 */
import * as fs from "fs";
import { projectName, readStackFile } from "../testing/launcher/stackFile";
import { verbOptions } from "./verbOptions";

const usage = `usage: hardened-mcp clients --stack <name> --outputs <file|-> [--dir .] [--server <name>]
                             [--client-id <id>] [--daemon-client-id <id>] [--callback-port 3334]
  Prints MCP client configurations for each server of a deployed stack (VS Code mcp.json, the Claude
  Code command, an mcp-remote block, a daemon with @azure/identity) and the Entra steps each needs.
  --stack             stack name; its Pulumi.<stack>.yaml supplies the tenant and the client allowlists
  --outputs           \`pulumi stack output --json --stack <name>\` saved to a file, or - to read stdin
  --dir               directory holding Pulumi.yaml and the stack files (default: current directory)
  --server            print only this server
  --client-id         your tenant's public client registration for CLI clients (Claude Code, mcp-remote)
  --daemon-client-id  your daemon's application (client credentials)
  --callback-port     loopback port registered as the CLI clients' redirect URI (default: 3334)
Exit status: 0 printed, 2 usage or unreadable input.`;

/** Visual Studio Code's public client id (first party; the kit's example config pre-authorizes it). */
const VSCODE_CLIENT_ID = "aebc6443-996d-45c2-90f0-388ff96faa56";

export interface ServerOutputs {
  readonly mcpUrl: string;
  readonly entraClientId: string;
  readonly applicationIdUri: string;
}

export interface StackFacts {
  readonly tenantId?: string;
  readonly preAuthorizedClientIds: readonly string[];
  readonly allowedClientAppIds: readonly string[];
  /** Tool roles per server, from `servers[].tools[].roles`. */
  readonly toolRoles: Readonly<Record<string, readonly string[]>>;
  /** Servers whose gateway publishes authorization server metadata (`servers[].serveAuthServerMetadata`). */
  readonly gatewayAuthServer?: Readonly<Record<string, boolean>>;
}

export interface RenderOptions {
  readonly clientId?: string;
  readonly daemonClientId?: string;
  readonly callbackPort: number;
}

class InputError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The `servers` output of `pulumi stack output --json` (values as the program exports them). */
export function parseStackOutputs(text: string): Record<string, ServerOutputs> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`the outputs are not JSON (${(e as Error).message}); pass \`pulumi stack output --json\`.`);
  }
  const servers = isRecord(doc) ? doc.servers : undefined;
  if (!isRecord(servers) || Object.keys(servers).length === 0) throw new InputError('the outputs have no "servers" object; is this the output of `pulumi stack output --json` for a hardened-mcp stack?');
  const out: Record<string, ServerOutputs> = {};
  for (const [name, s] of Object.entries(servers)) {
    const field = (k: string): string => {
      const v = isRecord(s) ? s[k] : undefined;
      if (typeof v !== "string" || v.length === 0 || v === "[secret]") throw new InputError(`servers.${name}.${k} is missing or not readable in the outputs.`);
      return v;
    };
    out[name] = { mcpUrl: field("mcpUrl"), entraClientId: field("entraClientId"), applicationIdUri: field("applicationIdUri") };
  }
  return out;
}

/** Tenant, client lists and tool roles from the stack's config (values as Pulumi hands them over). */
export function stackFacts(config: Record<string, string>, project: string): StackFacts {
  const json = (key: string): unknown => {
    const v = config[`${project}:${key}`];
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const entra = json("entra");
  const servers = json("servers");
  const toolRoles: Record<string, string[]> = {};
  const gatewayAuthServer: Record<string, boolean> = {};
  for (const s of Array.isArray(servers) ? servers : []) {
    if (!isRecord(s) || typeof s.name !== "string") continue;
    gatewayAuthServer[s.name] = s.serveAuthServerMetadata === true;
    const tools = Array.isArray(s.tools) ? s.tools : [];
    toolRoles[s.name] = [...new Set(tools.flatMap((t) => (isRecord(t) ? strings(t.roles) : [])))].sort();
  }
  const tenant = config[`${project}:tenantId`];
  return {
    ...(tenant ? { tenantId: tenant } : {}),
    preAuthorizedClientIds: isRecord(entra) ? strings(entra.preAuthorizedClientIds) : [],
    allowedClientAppIds: isRecord(entra) ? strings(entra.allowedClientAppIds) : [],
    toolRoles,
    gatewayAuthServer,
  };
}

/** The gateway accepts a client app when the allowlist is empty or names it (pre-authorized ones included). */
function allowlistNote(facts: StackFacts, clientId: string, what: string): string | undefined {
  const list = [...facts.preAuthorizedClientIds, ...facts.allowedClientAppIds];
  if (list.length === 0 || list.includes(clientId)) return undefined;
  return `  ! ${what} ${clientId} is not on the gateway's client allowlist: add it to entra.allowedClientAppIds and deploy, or the gateway answers 403.`;
}

/** The mcp-remote arguments for a server: static client id, fixed callback port, no `resource` without a custom domain. */
export function mcpRemoteArgs(s: ServerOutputs, clientId: string, callbackPort: number): string[] {
  const customDomain = s.applicationIdUri === s.mcpUrl;
  return ["-y", "mcp-remote", s.mcpUrl, String(callbackPort), "--static-oauth-client-info", JSON.stringify({ client_id: clientId }), ...(customDomain ? [] : ["--disable-resource-parameter"])];
}

function serverSection(name: string, s: ServerOutputs, facts: StackFacts, o: RenderOptions): string {
  const customDomain = s.applicationIdUri === s.mcpUrl;
  const scope = `${s.applicationIdUri}/mcp.invoke`;
  const roles = ["mcp.user", ...(facts.toolRoles[name] ?? [])].join(", ");
  const cli = o.clientId ?? "<cli-client-id>";
  const daemon = o.daemonClientId ?? "<daemon-client-id>";
  const tenant = facts.tenantId ?? "<tenant-id>";
  const lines: string[] = [];
  const add = (...l: (string | undefined)[]): void => void lines.push(...l.filter((x): x is string => x !== undefined));

  add(`## ${name}`, "", `MCP endpoint: ${s.mcpUrl}`, `Entra application: ${s.entraClientId} (application ID URI ${s.applicationIdUri})`);
  add(
    customDomain
      ? "Custom domain: yes. Clients that send the RFC 8707 resource parameter work unchanged."
      : "Custom domain: no. The application ID URI cannot equal the endpoint, so clients must NOT send the RFC 8707 resource parameter (Entra answers AADSTS9010010). Fix: publish the gateway on a custom domain (gateway.customDomain) and set the application ID URI to the endpoint.",
    facts.gatewayAuthServer?.[name] === true
      ? "Authorization server metadata: published by the gateway (Entra's endpoints, S256 declared), so clients that require code_challenge_methods_supported proceed."
      : "Authorization server metadata: Entra's own, which omits code_challenge_methods_supported; clients that require it (MCP 2025-11-25 to the letter) stop before sign-in. Fix: set servers[].serveAuthServerMetadata: true (docs/clients.md).",
    "",
    "Every user: assign them mcp.user plus the tool roles they need (Entra admin center > Enterprise applications >",
    `  ${s.entraClientId} > Users and groups > Add assignment; roles: ${roles}). Without an assignment Entra issues no token.`,
    "",
  );

  add("### Visual Studio Code (.vscode/mcp.json)", "", JSON.stringify({ servers: { [name]: { type: "http", url: s.mcpUrl } } }, null, 2), "");
  add(
    facts.preAuthorizedClientIds.includes(VSCODE_CLIENT_ID)
      ? "  VS Code is pre-authorized for the scope: no consent prompt."
      : `  VS Code (${VSCODE_CLIENT_ID}) is not pre-authorized: add it to entra.preAuthorizedClientIds, or grant tenant-wide admin consent for it.`,
    allowlistNote(facts, VSCODE_CLIENT_ID, "VS Code"),
    customDomain ? undefined : "  Works only with VS Code builds whose Microsoft sign-in omits the resource parameter; otherwise use mcp-remote below.",
    "",
  );

  add(
    "### Claude Code",
    "",
    `claude mcp add --transport http --client-id ${cli} --callback-port ${o.callbackPort} ${name} ${s.mcpUrl}`,
    "",
    customDomain
      ? undefined
      : "  ! Claude Code sends the resource parameter, which Entra refuses without a custom domain (AADSTS9010010): use mcp-remote below until the gateway has one.",
    `  Entra: a public client registration with redirect URI http://localhost:${o.callbackPort}/callback, the delegated permission ${scope}, admin consent.`,
    o.clientId ? allowlistNote(facts, o.clientId, "Client") : "  Add its client id to entra.allowedClientAppIds when the allowlist is in use.",
    "",
  );

  const remoteArgs = mcpRemoteArgs(s, cli, o.callbackPort);
  add("### mcp-remote (Claude Desktop, Cursor, any stdio-only client)", "", JSON.stringify({ mcpServers: { [name]: { command: "npx", args: remoteArgs } } }, null, 2), "");
  add(`  Entra: the same public client, with redirect URI http://localhost:${o.callbackPort}/oauth/callback as well (mcp-remote's callback path).`, "");

  add(
    "### Daemon (client credentials, @azure/identity)",
    "",
    "```ts",
    'import { DefaultAzureCredential } from "@azure/identity";',
    'import { Client } from "@modelcontextprotocol/sdk/client/index.js";',
    'import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";',
    "",
    "// A managed identity or workload identity in Azure; AZURE_CLIENT_ID/AZURE_TENANT_ID with a certificate elsewhere.",
    "const credential = new DefaultAzureCredential();",
    `const scope = "${s.applicationIdUri}/.default"; // app-only tokens: always /.default, never a resource parameter`,
    "const transport = new StreamableHTTPClientTransport(new URL(",
    `  "${s.mcpUrl}"), {`,
    "  fetch: async (url, init) => {",
    "    const { token } = await credential.getToken(scope); // cached and renewed by @azure/identity",
    "    const headers = new Headers(init?.headers);",
    '    headers.set("Authorization", `Bearer ${token}`);',
    "    return fetch(url, { ...init, headers });",
    "  },",
    "});",
    'const client = new Client({ name: "my-daemon", version: "1.0.0" });',
    "await client.connect(transport);",
    "```",
    "",
    `  Entra: assign the daemon's service principal (${daemon}) an application role of ${s.entraClientId}`,
    `  (${facts.toolRoles[name]?.join(", ") || "a tool role"}): POST https://graph.microsoft.com/v1.0/servicePrincipals/<server-sp-object-id>/appRoleAssignedTo`,
    `  with {"principalId":"<daemon-sp-object-id>","resourceId":"<server-sp-object-id>","appRoleId":"<role id>"}. Tenant: ${tenant}.`,
    o.daemonClientId ? allowlistNote(facts, o.daemonClientId, "Daemon") : "  Add its client id to entra.allowedClientAppIds when the allowlist is in use.",
    "",
  );
  return lines.join("\n");
}

export function renderClientConfigs(servers: Record<string, ServerOutputs>, facts: StackFacts, o: RenderOptions): string {
  return Object.entries(servers)
    .map(([name, s]) => serverSection(name, s, facts, o))
    .join("\n");
}


export async function runClientsCommand(argv: string[], stdin: () => string = () => fs.readFileSync(0, "utf8")): Promise<number> {
  const parsed = verbOptions(
    "clients",
    argv,
    {
      stack: { type: "string", short: "s" },
      outputs: { type: "string" },
      dir: { type: "string" },
      server: { type: "string" },
      "client-id": { type: "string" },
      "daemon-client-id": { type: "string" },
      "callback-port": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    usage,
  );
  if ("exit" in parsed) return parsed.exit;
  const values: Record<string, string | boolean | undefined> = parsed.values;
  const fail = (message: string): number => {
    console.error(`hardened-mcp clients: ${message}`);
    return 2;
  };
  const stack = values.stack as string | undefined;
  const outputsArg = values.outputs as string | undefined;
  if (!stack || !outputsArg) return fail(`--stack and --outputs are required.\n${usage}`);
  const port = Number(values["callback-port"] ?? "3334");
  if (!Number.isInteger(port) || port < 1024 || port > 65535) return fail(`--callback-port "${String(values["callback-port"])}" must be a port number from 1024 to 65535.`);
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const k of ["client-id", "daemon-client-id"]) {
    const v = values[k];
    if (typeof v === "string" && !guid.test(v)) return fail(`--${k} "${v}" is not an application (client) id; it is a GUID from the app registration's overview.`);
  }

  let servers: Record<string, ServerOutputs>;
  try {
    servers = parseStackOutputs(outputsArg === "-" ? stdin() : fs.readFileSync(outputsArg, "utf8"));
  } catch (err) {
    return fail(`${outputsArg === "-" ? "stdin" : outputsArg}: ${(err as Error).message}`);
  }
  const only = values.server as string | undefined;
  if (only !== undefined) {
    if (!servers[only]) return fail(`--server "${only}" is not in the outputs (servers: ${Object.keys(servers).join(", ")}).`);
    servers = { [only]: servers[only] };
  }

  const dir = (values.dir as string | undefined) ?? process.cwd();
  let facts: StackFacts = { preAuthorizedClientIds: [], allowedClientAppIds: [], toolRoles: {} };
  try {
    const project = projectName(dir);
    facts = stackFacts(readStackFile(dir, stack, project).config, project);
  } catch (err) {
    console.log(`Note: ${(err as Error).message} Tenant, allowlist and role checks are skipped.\n`);
  }
  console.log(
    renderClientConfigs(servers, facts, {
      callbackPort: port,
      ...(typeof values["client-id"] === "string" ? { clientId: values["client-id"] } : {}),
      ...(typeof values["daemon-client-id"] === "string" ? { daemonClientId: values["daemon-client-id"] } : {}),
    }),
  );
  return 0;
}
