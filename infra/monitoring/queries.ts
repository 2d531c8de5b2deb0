/**
 * KQL for the questions an operator of the gateway asks, written against what the kit writes into the platform's
 * Log Analytics workspace (Application Insights is workspace-based, so its telemetry lands there too):
 * - `AppTraces`: the gateway policy's audit `trace` (one per request). `Message` is the JSON record
 *   `{"event":"mcp.gateway.request","server","requestId","caller","clientApp","session","method","tool","decision",
 *   "status","latencyMs"}`; `decision` is `allow`, `filtered:<why>` or `deny:<why>`.
 * - `AppMetrics`: the policy's `emit-metric` series, `mcp-gateway-requests` (dimensions server, method, tool,
 *   decision, status) and `mcp-tool-drift` (value = drifted tools; dimensions server, handling).
 * - `ApiManagementGatewayLogs`: the gateway's resource logs (diagnostic setting, resource-specific tables).
 * Sources: learn.microsoft.com api-management trace-policy and emit-metric-policy; azure-monitor/reference/tables
 * apptraces, appmetrics, apimanagementgatewaylogs. docs/operations.md shows these same strings (a test keeps them equal).
 */

/** Every audit record of the gateway, parsed. The other trace queries start from it. */
const AUDIT_RECORDS = `AppTraces
| where Message has "mcp.gateway.request"
| extend r = parse_json(Message)
| where tostring(r.event) == "mcp.gateway.request"
| extend server = tostring(r.server), decision = tostring(r.decision), status = toint(r.status)`;

export interface OperatorQuery {
  /** The question, as the operator asks it. */
  readonly question: string;
  readonly kql: string;
}

export const OPERATOR_QUERIES = {
  decisions: {
    question: "How many requests did each server get, and what did the gateway decide?",
    kql: `${AUDIT_RECORDS}
| summarize requests = count() by server, decision
| order by requests desc`,
  },
  refusalsByReason: {
    question: "Why is the gateway refusing requests?",
    kql: `${AUDIT_RECORDS}
| where decision startswith "deny:"
| summarize refusals = count() by server, reason = substring(decision, 5)
| order by refusals desc`,
  },
  refusalRateSpike: {
    question: "Which servers refuse more than 20% of at least 20 requests?",
    kql: `${AUDIT_RECORDS}
| summarize total = count(), refused = countif(decision startswith "deny:") by server
| extend refusalPercent = round(100.0 * refused / total, 1)
| where total >= 20 and refusalPercent > 20`,
  },
  promptShieldBlocks: {
    question: "Which calls or tool lists did Prompt Shields block?",
    kql: `${AUDIT_RECORDS}
| where decision in ("deny:prompt-shield", "deny:tool-definition-shield")
| project TimeGenerated, server, decision, caller = tostring(r.caller), clientApp = tostring(r.clientApp), tool = tostring(r.tool), requestId = tostring(r.requestId)`,
  },
  toolCalls: {
    question: "Which tools are called, by whom, and how often are the calls refused?",
    kql: `${AUDIT_RECORDS}
| where tostring(r.method) == "tools/call"
| summarize calls = count(), callers = dcount(tostring(r.caller)), refused = countif(decision startswith "deny:") by server, tool = tostring(r.tool)
| order by calls desc`,
  },
  clientApps: {
    question: "Which client applications call the gateway, and how much of their traffic is refused?",
    kql: `${AUDIT_RECORDS}
| summarize requests = count(), callers = dcount(tostring(r.caller)), refused = countif(decision startswith "deny:") by clientApp = tostring(r.clientApp)
| order by requests desc`,
  },
  latency: {
    question: "How long does the gateway take per server and method (including Prompt Shields and the backend)?",
    kql: `${AUDIT_RECORDS}
| extend method = tostring(r.method), latencyMs = todouble(r.latencyMs)
| summarize requests = count(), p50 = percentile(latencyMs, 50), p95 = percentile(latencyMs, 95), p99 = percentile(latencyMs, 99) by server, method
| order by p95 desc`,
  },
  toolDrift: {
    question: "Did a server change its tool definitions after they were approved?",
    kql: `AppMetrics
| where Name == "mcp-tool-drift"
| extend server = tostring(Properties.server), handling = tostring(Properties.handling)
| summarize driftedTools = sum(Sum), events = sum(ItemCount) by server, handling`,
  },
  backend5xx: {
    question: "Which backends answer with server errors?",
    kql: `ApiManagementGatewayLogs
| where BackendResponseCode >= 500
| project TimeGenerated, ApiId, OperationId, BackendResponseCode, ResponseCode, BackendTime, CorrelationId`,
  },
  unauthorizedStorm: {
    question: "Who is getting 401s, and from where?",
    kql: `ApiManagementGatewayLogs
| where ResponseCode == 401
| project TimeGenerated, ApiId, CallerIpAddress, Url, CorrelationId`,
  },
} as const satisfies Record<string, OperatorQuery>;

export type OperatorQueryName = keyof typeof OPERATOR_QUERIES;
