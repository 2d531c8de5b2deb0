import { res, RuleCases, UNKNOWN } from "../harness";

const NV = "azure-native:apimanagement:NamedValue";
const PIN_A = "a".repeat(64);
const PIN_B = "0123456789abcdef".repeat(4);

const named = (displayName: string, value: string) => res(NV, displayName, { displayName, value, secret: false });
const server = (tools: string, pins: string, name = "weather") => [named(`mcp-${name}-tools`, tools), named(`mcp-${name}-tool-pins`, pins)];

/** `azure-apim-mcp-tool-pins`: pins cover every approved tool once pinning is on. */
export const toolPinCases: Record<string, RuleCases> = {
  "azure-apim-mcp-tool-pins": {
    pass: [
      // Pinning off (the kit's default plan: no pins yet).
      { stack: server(";get_forecast=tools.read|;delete_all=|Tools.Admin;", ";") },
      { stack: server(";get_forecast=tools.read|;delete_all=|Tools.Admin;", `;get_forecast=${PIN_A};delete_all=${PIN_B};`) },
      { stack: server(";get_forecast=tools.read|;", `;get_forecast=${PIN_A};`), config: { requireAll: true } },
      // Named values of something else are not pins.
      { stack: [named("mcp-weather-tools", ";get_forecast=tools.read|;"), named("backend-url", "https://x")], config: { requireAll: true } },
    ],
    fail: [
      { stack: server(";get_forecast=tools.read|;delete_all=|Tools.Admin;", `;get_forecast=${PIN_A};`), expect: ["[weather]", "approved tools without a definition pin: delete_all"] },
      { stack: server(";get_forecast=tools.read|;", ";"), config: { requireAll: true }, expect: ["[weather]", "without a definition pin: get_forecast"] },
      { stack: server(";get_forecast=tools.read|;", ";get_forecast=ABC;"), expect: ["not a SHA-256 in 64 lowercase hex digits: get_forecast"] },
      { stack: server(";get_forecast=tools.read|;", `;get_forecast=${PIN_A};get_forcast=${PIN_B};`), expect: ["pins of tools that are not approved: get_forcast"] },
      { stack: [named("mcp-docs-tool-pins", `;search=${PIN_A};`)], expect: ["[docs]", "no approved-tools named value mcp-docs-tools"] },
      // One finding per server: the pinned server's gap is reported, the unpinned server is not (requireAll off).
      { stack: [...server(";a=s|;b=s|;", `;a=${PIN_A};`), ...server(";c=s|;", ";", "docs")], expect: ["[weather]"] },
    ],
    unknown: [{ stack: server(";get_forecast=tools.read|;", UNKNOWN) }],
  },
};
