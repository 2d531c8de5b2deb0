import { nameProblem, NameRules, ServerNameRule, slug } from "../../baseline/naming";

describe("server names", () => {
  it("are 3-29 characters: the Container App ca-<name> has at most 32", () => {
    expect(ServerNameRule.min).toBe(3);
    expect(ServerNameRule.max).toBe(29);
    expect(nameProblem("abc", ServerNameRule)).toBeUndefined();
    expect(nameProblem("a".repeat(29), ServerNameRule)).toBeUndefined();
    expect(nameProblem("ab", ServerNameRule)).toBe('"ab" is 2 characters; an MCP server name must be 3-29');
    expect(nameProblem("a".repeat(30), ServerNameRule)).toMatch(/is 30 characters/);
    expect(nameProblem(`ca-${"a".repeat(29)}`, NameRules.containerApp)).toBeUndefined();
  });

  it.each(["GitHub", "1tools", "tools-", "two--hyphens", "under_score"])("refuses %s", (name) => {
    expect(nameProblem(name, ServerNameRule)).toMatch(/is not a valid MCP server name/);
  });
});

describe("slug", () => {
  it.each([
    ["Key Vault Secrets User", "key-vault-secrets-user"],
    ["AcrPull", "acrpull"],
    ["--My__Stack--", "my-stack"],
  ])("%s -> %s", (text, out) => expect(slug(text)).toBe(out));
});
