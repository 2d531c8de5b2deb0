/** Header hygiene around the backend, as generated: which names are deleted in each direction, and when. */
import type { Element } from "@xmldom/xmldom";
import { buildMcpApiPolicy } from "../../../infra/gateway/policy";
import { all, parse, section, settings } from "./fixtures";

const deleted = (root: Element): string[] =>
  all(root, "set-header").filter((e) => e.getAttribute("exists-action") === "delete").map((e) => e.getAttribute("name") ?? "");

const COOKIES = ["Set-Cookie", "Set-Cookie2"];
const CORS = [
  "Access-Control-Allow-Origin",
  "Access-Control-Allow-Credentials",
  "Access-Control-Allow-Methods",
  "Access-Control-Allow-Headers",
  "Access-Control-Allow-Private-Network",
  "Access-Control-Expose-Headers",
  "Access-Control-Max-Age",
];

describe("gateway header hygiene", () => {
  const outbound = section(parse(buildMcpApiPolicy(settings())), "outbound");

  it("deletes method-override, URL-rewrite and forwarding headers inbound, but keeps X-Forwarded-For", () => {
    const inbound = deleted(section(parse(buildMcpApiPolicy(settings())), "inbound"));
    for (const h of ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "X-Original-URL", "X-Rewrite-URL", "X-Forwarded-Host", "Forwarded"]) {
      expect(inbound).toContain(h);
    }
    expect(inbound.map((h) => h.toLowerCase())).not.toContain("x-forwarded-for");
  });

  it("deletes backend cookies and CORS grants outbound by default", () => {
    expect(deleted(outbound)).toEqual(expect.arrayContaining([...COOKIES, ...CORS]));
  });

  it("with enableCors deletes only the cookies, leaving Access-Control-* to the cors policy", () => {
    const withCors = deleted(section(parse(buildMcpApiPolicy(settings({ allowedOrigins: ["https://app.contoso.com"], enableCors: true }))), "outbound"));
    expect(withCors).toEqual(expect.arrayContaining(COOKIES));
    expect(withCors.filter((h) => h.startsWith("Access-Control-"))).toEqual([]);
  });

  it("turns any backend 3xx into a 502 refusal", () => {
    const when = all(outbound, "when").find((w) => (w.getAttribute("condition") ?? "").includes("StatusCode >= 300"));
    expect(when?.getAttribute("condition")).toBe("@(context.Response.StatusCode >= 300 && context.Response.StatusCode < 400)");
    expect(all(when!, "set-variable").find((v) => v.getAttribute("name") === "mcpRefusalStatus")?.getAttribute("value")).toBe("502");
  });
});
