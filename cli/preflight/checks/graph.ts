import { armErrorMessage } from "../rest";
import { Check, CheckResult, couldNotRun } from "../result";

/**
 * Microsoft Graph rights for the Entra objects the plan creates (both Entra modes create each server's
 * backend application; "create" also the MCP applications). From the @pulumi/azuread API docs
 * ("API Permissions" of Application, ServicePrincipal, AppRoleAssignment) and Graph's
 * "Grant an appRoleAssignment for a service principal":
 * - a service principal needs application permissions (app roles in its Graph token):
 *   applications: Application.ReadWrite.OwnedBy or Application.ReadWrite.All (or Directory.ReadWrite.All);
 *   app role assignments: AppRoleAssignment.ReadWrite.All with Application.Read.All or Directory.Read.All,
 *   or Application.ReadWrite.All, or Directory.ReadWrite.All;
 * - a user needs an active directory role: Application Administrator or Global Administrator.
 */
const APP_PERMISSION_SETS: Readonly<Record<"applications" | "appRoleAssignments", readonly (readonly string[])[]>> = {
  applications: [["Application.ReadWrite.OwnedBy"], ["Application.ReadWrite.All"], ["Directory.ReadWrite.All"]],
  appRoleAssignments: [
    ["AppRoleAssignment.ReadWrite.All", "Application.Read.All"],
    ["AppRoleAssignment.ReadWrite.All", "Directory.Read.All"],
    ["Application.ReadWrite.All"],
    ["Directory.ReadWrite.All"],
  ],
};

/** Directory role template ids (Learn: "Microsoft Entra built-in roles"), the same in every tenant. */
const USER_ROLES: Readonly<Record<string, string>> = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
};

interface TokenClaims {
  readonly idtyp?: string;
  readonly scp?: string;
  readonly roles?: readonly string[];
  readonly tid?: string;
}

/** The payload of a JWT, or undefined when the token is not one (it is never verified: only read). */
export function jwtClaims(token: string): TokenClaims | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    return claims !== null && typeof claims === "object" ? (claims as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}

function satisfied(held: ReadonlySet<string>, sets: readonly (readonly string[])[]): boolean {
  return sets.some((set) => set.every((p) => held.has(p.toLowerCase())));
}

function describe(sets: readonly (readonly string[])[]): string {
  return sets.map((set) => set.join(" + ")).join(", or ");
}

function checkApplicationToken(claims: TokenClaims, assignsAppRoles: boolean): CheckResult {
  const held = new Set((claims.roles ?? []).map((r) => r.toLowerCase()));
  const wanted = assignsAppRoles ? (["applications", "appRoleAssignments"] as const) : (["applications"] as const);
  const missing = wanted.filter((what) => !satisfied(held, APP_PERMISSION_SETS[what]));
  if (missing.length === 0) return { check: "graph", subject: "service principal", status: "pass", why: `application permissions ${[...(claims.roles ?? [])].join(", ")}` };
  const needed = missing.map((what) => `${what}: ${describe(APP_PERMISSION_SETS[what])}`).join("; ");
  return {
    check: "graph",
    subject: "service principal",
    status: "fail",
    why: `the Graph token grants ${(claims.roles ?? []).join(", ") || "no application permissions"}; needed ${needed}`,
    fix: "grant the Microsoft Graph application permissions (API permissions > Add > Microsoft Graph > Application) and admin consent, then sign in again",
  };
}

export const checkGraph: Check = async ({ rest, needs }) => {
  const graph = needs.graph;
  if (!graph) return [{ check: "graph", subject: "Entra", status: "pass", why: "the plan creates no Entra objects" }];
  try {
    const claims = jwtClaims(await rest.token("graph"));
    if (!claims) return [{ check: "graph", subject: "Entra", status: "unknown", why: "could not check: the Graph token is not a JWT, so its permissions cannot be read" }];
    if (claims.tid && claims.tid.toLowerCase() !== needs.tenantId.toLowerCase()) {
      return [
        {
          check: "graph",
          subject: "Entra",
          status: "fail",
          why: `signed in to tenant ${claims.tid}, but the stack's tenantId is ${needs.tenantId}`,
          fix: `sign in to the stack's tenant (az login --tenant ${needs.tenantId}, or AZURE_TENANT_ID)`,
        },
      ];
    }
    const isApp = claims.idtyp === "app" || (claims.idtyp === undefined && claims.scp === undefined);
    if (isApp) return [checkApplicationToken(claims, graph.assignsAppRoles)];
    const response = await rest.graph("/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId");
    if (response.status !== 200) {
      return [{ check: "graph", subject: "signed-in user", status: "unknown", why: `could not read your directory roles: ${armErrorMessage(response)}` }];
    }
    const roles = ((response.body as { value?: { roleTemplateId?: unknown; displayName?: unknown }[] } | undefined)?.value ?? []).map((r) => ({
      id: typeof r.roleTemplateId === "string" ? r.roleTemplateId.toLowerCase() : "",
      name: typeof r.displayName === "string" ? r.displayName : "",
    }));
    const enough = roles.find((r) => USER_ROLES[r.id]);
    if (enough) return [{ check: "graph", subject: "signed-in user", status: "pass", why: `active directory role ${USER_ROLES[enough.id]}` }];
    return [
      {
        check: "graph",
        subject: "signed-in user",
        status: "fail",
        why: `no active Application Administrator or Global Administrator role (you hold ${roles.map((r) => r.name).join(", ") || "none"}); the plan creates ${graph.creates.join(", ")}`,
        fix: "activate Application Administrator (Privileged Identity Management) or have it assigned, then sign in again; or deploy as a service principal with the Graph application permissions",
      },
    ];
  } catch (err) {
    return [couldNotRun("graph", "Entra", err)];
  }
};
