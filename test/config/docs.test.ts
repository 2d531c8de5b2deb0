import * as fs from "fs";
import * as path from "path";
import { platformConfigSchema, serverSchema, SettingHelp } from "../../infra/config/schema";

const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "configuration.md"), "utf8");

describe("docs/configuration.md", () => {
  it("documents every setting the schema accepts", () => {
    const keys = [
      ...Object.keys(platformConfigSchema.shape),
      ...Object.keys(serverSchema.shape).map((k) => `servers[].${k}`),
      ...Object.keys(SettingHelp),
    ];
    const missing = keys.filter((key) => !doc.includes(`\`${key}`));
    expect(missing).toEqual([]);
  });

  it("has a fix for every setting path an error can name", () => {
    for (const key of Object.keys(platformConfigSchema.shape)) expect(Object.keys(SettingHelp).some((k) => k === key || k.startsWith(`${key}.`))).toBe(true);
    for (const key of Object.keys(serverSchema.shape)) expect(SettingHelp[`servers[].${key}`]).toBeDefined();
  });
});
