/**
 * Behaviour of the request-shape hardening that structural tests cannot show, run through the gateway emulator
 * (test/emulator: real C# expressions over the generated documents).
 */
import { createHarness, newUser, type Harness } from "../../emulator/fixture";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const CALL = `"jsonrpc":"2.0","id":1,"method":"tools/call"`;

async function refusedAs(body: string): Promise<{ status: number; code: number | undefined; forwarded: boolean }> {
  const r = await h.post(newUser(), body, { "MCP-Protocol-Version": "2025-11-25" });
  const parsed = JSON.parse(r.response.body || "{}") as { error?: { code?: number } };
  return { status: r.response.status, code: parsed.error?.code, forwarded: r.backendRequest !== undefined };
}

describe("JSON the gateway and a lenient backend could read differently is refused", () => {
  it.each([
    ["a comment", `{${CALL},"params":{"name":"get_forecast" /* x */,"arguments":{}}}`],
    ["single-quoted strings", `{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'get_forecast','arguments':{}}}`],
    ["an unquoted property name", `{${CALL},"params":{name:"get_forecast","arguments":{}}}`],
    ["a raw control character in a string", `{${CALL},"params":{"name":"get_forecast","arguments":{"q":"a\u0001b"}}}`],
  ])("%s: 400 parse error, nothing forwarded", async (_name, body) => {
    expect(await refusedAs(body)).toEqual({ status: 400, code: -32700, forwarded: false });
  });

  it("case-colliding property names anywhere in the message: 400 invalid request", async () => {
    const body = `{${CALL},"params":{"name":"get_forecast","arguments":{"city":"Oslo","CITY":"x"}}}`;
    expect(await refusedAs(body)).toEqual({ status: 400, code: -32600, forwarded: false });
  });

  it("an id that is neither string nor integer: 400", async () => {
    expect(await refusedAs(`{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}`)).toEqual({ status: 400, code: -32600, forwarded: false });
  });

  it("still forwards strict JSON with escapes, unicode and numbers", async () => {
    const body = `{${CALL},"params":{"name":"get_forecast","arguments":{"q":"line\\nbreak \\"quoted\\" \\u00e9 é","n":-1.5e3,"ok":true,"none":null}}}`;
    expect(await refusedAs(body)).toEqual({ status: 200, code: undefined, forwarded: true });
  });
});
