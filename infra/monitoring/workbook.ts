import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import { OPERATOR_QUERIES, OperatorQueryName } from "./queries";
import { PlacementArgs } from "../shared/types";

/**
 * The operators' workbook: one Log Analytics query step per operator question (infra/monitoring/queries.ts, the
 * same KQL docs/operations.md shows and the alert rules run), behind one time-range parameter.
 *
 * Shape from the Azure Workbooks schema (microsoft/Application-Insights-Workbooks, schema/workbook.json) and Learn
 * "Azure Workbooks data sources" / "Workbook parameters": `version` "Notebook/1.0" and `items[]`; a text step is
 * type 1 with `content.json` (markdown); a parameters step is type 9 (`KqlParameterItem/1.0`, parameter type 4 is
 * a time range); a query step is type 3 (`KqlItem/1.0`) with `queryType` 0 (Logs) against
 * `microsoft.operationalinsights/workspaces`, pinned to the platform's workspace with `crossComponentResources`,
 * so the workbook shows the right data whether it is opened from the workspace or from the Workbooks gallery.
 */

const SCHEMA = "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json";
const WORKSPACE_TYPE = "microsoft.operationalinsights/workspaces";
/** Workbooks' query type for Log Analytics ("Logs"). */
const LOGS_QUERY = 0;
/** Workbooks' parameter type for a time range picker. */
const TIME_RANGE_PARAMETER = 4;
const HOUR_MS = 3_600_000;

/** The order the steps appear in: traffic first, then security events, then availability. */
export const WORKBOOK_STEPS: readonly { readonly query: OperatorQueryName; readonly visualization: "table" | "barchart" }[] = [
  { query: "decisions", visualization: "table" },
  { query: "refusalsByReason", visualization: "barchart" },
  { query: "refusalRateSpike", visualization: "table" },
  { query: "toolCalls", visualization: "table" },
  { query: "clientApps", visualization: "table" },
  { query: "latency", visualization: "table" },
  { query: "promptShieldBlocks", visualization: "table" },
  { query: "toolDrift", visualization: "table" },
  { query: "backend5xx", visualization: "table" },
  { query: "unauthorizedStorm", visualization: "table" },
];

export interface WorkbookItem {
  readonly type: number;
  readonly name: string;
  readonly content: Record<string, unknown>;
}

export interface WorkbookDocument {
  readonly version: "Notebook/1.0";
  readonly items: readonly WorkbookItem[];
  readonly fallbackResourceIds: readonly string[];
  readonly $schema: string;
}

/** The workbook's content (what `serializedData` holds, parsed) for the workspace `workspaceId`. */
export function workbookDocument(workspaceId: string): WorkbookDocument {
  const header: WorkbookItem = {
    type: 1,
    name: "about",
    content: {
      json:
        "## MCP gateway\nEvery request the gateway decided (audit trace in `AppTraces`, metrics in `AppMetrics`) and its " +
        "resource logs (`ApiManagementGatewayLogs`). What each question means and what to do: docs/operations.md of hardened-mcp-azure.",
    },
  };
  const timeRange: WorkbookItem = {
    type: 9,
    name: "parameters",
    content: {
      version: "KqlParameterItem/1.0",
      style: "pills",
      queryType: LOGS_QUERY,
      resourceType: WORKSPACE_TYPE,
      parameters: [
        {
          id: "9b1c0f5e-2f4a-4f3e-9a53-6d1f0c2b7a10",
          version: "KqlParameterItem/1.0",
          name: "TimeRange",
          label: "Time range",
          type: TIME_RANGE_PARAMETER,
          isRequired: true,
          value: { durationMs: 24 * HOUR_MS },
          typeSettings: { selectableValues: [1, 4, 24, 72, 168].map((h) => ({ durationMs: h * HOUR_MS })) },
        },
      ],
    },
  };
  const steps = WORKBOOK_STEPS.map(
    ({ query, visualization }): WorkbookItem => ({
      type: 3,
      name: query,
      content: {
        version: "KqlItem/1.0",
        title: OPERATOR_QUERIES[query].question,
        query: OPERATOR_QUERIES[query].kql,
        size: 0,
        timeContextFromParameter: "TimeRange",
        queryType: LOGS_QUERY,
        resourceType: WORKSPACE_TYPE,
        crossComponentResources: [workspaceId],
        visualization,
      },
    }),
  );
  return { version: "Notebook/1.0", items: [header, timeRange, ...steps], fallbackResourceIds: [workspaceId], $schema: SCHEMA };
}

/** A name-based UUID (RFC 9562 section 5.5 layout, SHA-256 instead of SHA-1): a workbook's name must be a UUID. */
export function stableUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface McpWorkbookArgs extends PlacementArgs {
  /** Required. ARM id of the Log Analytics workspace the gateway and Application Insights write to. */
  readonly workspaceId: pulumi.Input<string>;
  /** Optional. Shown in the portal's workbook list. @default "MCP gateway" */
  readonly displayName?: string;
  /**
   * Optional. The workbook's resource name (a UUID).
   * @default a UUID derived from the project, stack and component name (stable across runs, distinct per stack)
   */
  readonly workbookId?: string;
}

/** A shared Azure Monitor workbook on the workspace, listed under the workspace's Workbooks. */
export class McpWorkbook extends pulumi.ComponentResource {
  public readonly workbook: applicationinsights.Workbook;

  constructor(name: string, args: McpWorkbookArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:McpWorkbook", name, {}, opts);
    this.workbook = new applicationinsights.Workbook(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        resourceName: args.workbookId ?? stableUuid(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`),
        kind: "shared",
        category: "workbook",
        displayName: args.displayName ?? "MCP gateway",
        version: "Notebook/1.0",
        sourceId: args.workspaceId,
        serializedData: pulumi.output(args.workspaceId).apply((id) => JSON.stringify(workbookDocument(id))),
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
