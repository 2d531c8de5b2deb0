import {
  DNS_HOST_NAME,
  ENTRA_CLAIM_VALUE,
  isGuid,
  KEY_VAULT_OBJECT_NAME,
  MCP_TOOL_NAME,
  parseKeyVaultSecretUrl,
  URL_PATH,
} from "../../baseline/identifiers";

describe("identifier grammars", () => {
  it.each([
    ["72f988bf-86f1-41af-91ab-2d7cd011db47", true],
    ["72F988BF-86F1-41AF-91AB-2D7CD011DB47", true],
    ["72f988bf86f141af91ab2d7cd011db47", false],
    ["{72f988bf-86f1-41af-91ab-2d7cd011db47}", false],
    ["72f988bf-86f1-41af-91ab-2d7cd011db4", false],
    ["common", false],
  ])("GUID %s -> %s", (value, ok) => expect(isGuid(value)).toBe(ok));

  it.each([
    ["Tools.Read", true],
    ["user_impersonation", true],
    ["mcp:call", true],
    ["a".repeat(120), true],
    ["a".repeat(121), false],
    [".hidden", false],
    ["-dash", false],
    ["has space", false],
    ["api://x/scope", false],
    ["a;b", false],
    ["a|b", false],
    ["a,b", false],
    ["a=b", false],
  ])("Entra claim value %s -> %s", (value, ok) => expect(ENTRA_CLAIM_VALUE.test(value)).toBe(ok));

  it.each([
    ["get_weather", true],
    ["admin.tools-list", true],
    ["x".repeat(128), true],
    ["x".repeat(129), false],
    ["", false],
    ["get weather", false],
    ["tool/name", false],
  ])("MCP tool name %s -> %s", (value, ok) => expect(MCP_TOOL_NAME.test(value)).toBe(ok));

  it.each([
    ["github-token", true],
    ["A1-b2", true],
    ["x".repeat(127), true],
    ["x".repeat(128), false],
    ["github_token", false],
  ])("Key Vault object name %s -> %s", (value, ok) => expect(KEY_VAULT_OBJECT_NAME.test(value)).toBe(ok));

  it("parses Key Vault secret URLs in the three clouds, with and without a version", () => {
    expect(parseKeyVaultSecretUrl("https://kv-mcp.vault.azure.net/secrets/github-token")).toEqual({
      vault: "kv-mcp",
      dnsSuffix: "vault.azure.net",
      name: "github-token",
    });
    expect(parseKeyVaultSecretUrl("https://kv-mcp.vault.azure.cn/secrets/a/0123456789abcdef0123456789abcdef")).toEqual({
      vault: "kv-mcp",
      dnsSuffix: "vault.azure.cn",
      name: "a",
      version: "0123456789abcdef0123456789abcdef",
    });
    expect(parseKeyVaultSecretUrl("https://kv-mcp.vault.usgovcloudapi.net/secrets/a/")?.vault).toBe("kv-mcp");
    expect(parseKeyVaultSecretUrl("http://kv-mcp.vault.azure.net/secrets/a")).toBeUndefined();
    expect(parseKeyVaultSecretUrl("https://kv.vault.azure.net/secrets/a")).toBeUndefined();
    expect(parseKeyVaultSecretUrl("https://kv-mcp.vault.azure.net.evil.com/secrets/a")).toBeUndefined();
    expect(parseKeyVaultSecretUrl("https://kv-mcp.vault.azure.net/keys/a")).toBeUndefined();
  });

  it.each([
    ["mcp.contoso.com", true],
    ["apim-x.azure-api.net", true],
    ["MCP.contoso.com", false],
    ["localhost", false],
    ["*.contoso.com", false],
    ["mcp.contoso.com:443", false],
    ["https://mcp.contoso.com", false],
    ["-a.contoso.com", false],
    [`${"a".repeat(64)}.com`, false],
  ])("DNS host name %s -> %s", (value, ok) => expect(DNS_HOST_NAME.test(value)).toBe(ok));

  it.each([
    ["/healthz", true],
    ["/", true],
    ["/api/v1/health~check", true],
    ["healthz", false],
    ["/health?x=1", false],
    ["/health#x", false],
    ["/health z", false],
    ["/health\\z", false],
  ])("URL path %s -> %s", (value, ok) => expect(URL_PATH.test(value)).toBe(ok));
});
