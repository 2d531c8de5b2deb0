import { parseVaultUrl } from "../../../cli/secrets/vaultUrl";

describe("vault URLs by their real DNS suffix", () => {
  it.each([
    ["https://kv-mcp-dev-abc123.vault.azure.net", "public", "https://login.microsoftonline.com"],
    ["https://kv-mcp-dev-abc123.vault.azure.net/", "public", "https://login.microsoftonline.com"],
    ["https://KV-Mcp.Vault.Azure.CN", "china", "https://login.chinacloudapi.cn"],
    ["https://kv-gov.vault.usgovcloudapi.net/", "usgovernment", "https://login.microsoftonline.us"],
  ])("accepts %s as %s", (raw, cloud, authority) => {
    const target = parseVaultUrl(raw);
    expect(target).toMatchObject({ cloud, authorityHost: authority });
    expect(typeof target === "object" && target.url).toBe(raw.toLowerCase().replace(/\/$/, ""));
  });

  it("refuses vault.azure.us, pointing at the US Government suffix", () => {
    expect(parseVaultUrl("https://kv-gov.vault.azure.us")).toMatch(/not a Key Vault DNS suffix; did you mean vault\.usgovcloudapi\.net/);
  });

  it.each([
    [undefined, /--vault-url is required/],
    ["kv-mcp.vault.azure.net", /is not a URL/],
    ["http://kv-mcp.vault.azure.net", /must use https/],
    ["https://kv-mcp.vault.azure.net/secrets/x", /only the vault URI/],
    ["https://kv-mcp.vault.azure.net:8443", /only the vault URI/],
    ["https://kv-mcp.privatelink.vaultcore.azure.net", /private endpoint answers the public name/],
    ["https://kv-mcp.vault.microsoftazure.de", /use one of vault\.azure\.net, vault\.azure\.cn, vault\.usgovcloudapi\.net/],
    ["https://evil.example.com", /not a Key Vault DNS suffix/],
    ["https://1kv.vault.azure.net", /"1kv" is not a valid Key Vault name/],
    ["https://kv--x.vault.azure.net", /"kv--x" is not a valid Key Vault name/],
    ["https://kv.vault.azure.net", /"kv" is 2 characters; a Key Vault name must be 3-24/],
  ])("refuses %s", (raw, message) => {
    expect(parseVaultUrl(raw)).toMatch(message);
  });
});
