// Calls the gateway makes: authentication-managed-identity, send-request, set-backend-service and forward-request.
import type { Element } from "@xmldom/xmldom";
import { childElements } from "../support/apim/xml";
import { DEFAULT_REASONS, PolicyError, bodyText, errorResponse, headersOf, type BackendRequest, type FakeAnswer, type OutboundCall, type Run } from "./messages";
import { setBody, setHeader } from "./messagePolicies";
import { checkElement } from "./policyRules";
import type { PolicyRuntime } from "./runtime";

function fakeManagedIdentityToken(g: PolicyRuntime, resource: string, clientId: string | undefined): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = g.options.clock.now;
  const claims = { aud: resource, iss: "https://emulated-managed-identity/", appid: clientId ?? "system-assigned", azp: clientId ?? "system-assigned", idtyp: "app", iat: now, exp: now + 3600 };
  return `${b64({ alg: "RS256", typ: "JWT", kid: "emulated-mi" })}.${b64(claims)}.ZmFrZS1tYW5hZ2VkLWlkZW50aXR5`;
}

export async function managedIdentity(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const resource = await g.expr.requiredAttr(el, "resource", run);
  const clientId = await g.expr.attr(el, "client-id", run);
  const token = fakeManagedIdentityToken(g, resource, clientId);
  const out = el.getAttribute("output-token-variable-name");
  if (out) {
    run.variableNames.add(out);
    await g.expr.host.set(out, { kind: "string", value: token });
    return; // documented: with output-token-variable-name the token goes to the variable, not the header
  }
  const target = run.outbound ?? run.request;
  target.headers["authorization"] = [`Bearer ${token}`];
}

export async function sendRequest(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const mode = (await g.expr.attr(el, "mode", run)) ?? "new";
  const timeoutSeconds = Number((await g.expr.attr(el, "timeout", run)) ?? "60");
  const ignoreError = ((await g.expr.attr(el, "ignore-error", run)) ?? "false").toLowerCase() === "true";
  const variable = el.getAttribute("response-variable-name");
  const call: OutboundCall =
    mode === "copy"
      ? { method: run.request.method, url: "", headers: structuredClone(run.request.headers), body: run.request.body, timeoutSeconds }
      : { method: "GET", url: "", headers: {}, body: "", timeoutSeconds };
  const outer = run.outbound;
  run.outbound = call;
  try {
    for (const c of childElements(el)) {
      checkElement(g, c, { ...run, section: "inbound" } as Run);
      switch (c.tagName) {
        case "set-url":
          call.url = (await g.expr.text(c, run)) ?? "";
          break;
        case "set-method":
          call.method = ((await g.expr.text(c, run)) ?? "").toUpperCase();
          break;
        case "set-header":
          await setHeader(g, c, run);
          break;
        case "set-body":
          await setBody(g, c, run);
          break;
        case "authentication-managed-identity":
          await managedIdentity(g, c, run);
          break;
        default:
          throw new Error(`<send-request> child <${c.tagName}> is not emulated`);
      }
    }
  } finally {
    run.outbound = outer;
  }
  if (!call.url) throw new Error("send-request without set-url");
  if (!g.options.services) throw new Error(`send-request to ${call.url} but the emulator has no services fake`);
  const answer = g.options.services(structuredClone(call));
  call.answer = answer;
  run.sentRequests.push(call);
  const latency = answer.latencySeconds ?? 0;
  const failed = "error" in answer || latency > timeoutSeconds;
  if (failed) {
    if (!ignoreError) {
      throw new PolicyError("send-request", "error" in answer && answer.error === "connection-refused" ? "ConnectionFailure" : "Timeout", `send-request to ${call.url} failed`);
    }
    if (variable) {
      run.variableNames.add(variable);
      await g.expr.host.set(variable, { kind: "null" });
    }
    return;
  }
  if (variable) {
    run.variableNames.add(variable);
    const ok = answer as Extract<FakeAnswer, { status: number }>;
    await g.expr.host.set(variable, {
      kind: "response",
      value: { statusCode: ok.status, statusReason: DEFAULT_REASONS[ok.status] ?? "", headers: headersOf(ok.headers), body: bodyText(ok.body) },
    });
  }
}

export async function setBackendService(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const id = await g.expr.attr(el, "backend-id", run);
  if (id !== undefined) {
    const url = g.options.backends[id];
    if (!url) throw new PolicyError("set-backend-service", "BackendNotFound", `backend '${id}' does not exist`);
    run.backendBase = url;
    return;
  }
  run.backendBase = await g.expr.requiredAttr(el, "base-url", run);
}

export async function forwardRequest(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const timeout = Number((await g.expr.attr(el, "timeout", run)) ?? "300");
  if (!run.backendBase) throw new PolicyError("forward-request", "BackendNotSet", "no backend service URL (set-backend-service or the API's service URL)");
  const rel = run.request.url.path.slice(`/${g.options.api.path}`.length);
  const qs = Object.entries(run.request.url.query)
    .flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join("&");
  const request: BackendRequest = {
    method: run.request.method,
    url: `${run.backendBase.replace(/\/$/, "")}${rel}${qs ? `?${qs}` : ""}`,
    headers: structuredClone(run.request.headers),
    body: run.request.body,
  };
  run.backendRequest = request;
  // A real backend (the HTTP front of test/e2e) answers asynchronously; scripted fakes answer at once.
  const answer = await g.options.backend(structuredClone(request));
  if ("error" in answer || (answer.latencySeconds ?? 0) > timeout) {
    throw new PolicyError("forward-request", "BackendConnectionFailure", "The backend did not answer in time", errorResponse(500, "Internal server error"));
  }
  run.response = { status: answer.status, reason: DEFAULT_REASONS[answer.status] ?? "", headers: headersOf(answer.headers), body: bodyText(answer.body) };
}
