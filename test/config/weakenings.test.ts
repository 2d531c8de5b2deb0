import { weakeningsInEffect } from "../../infra/config/weakenings";
import { parsePlatformConfig } from "../../infra/config/parse";
import { devRawConfig } from "./fixtures";

describe("weakeningsInEffect", () => {
  it("finds none in the default stack", () => {
    expect(weakeningsInEffect(parsePlatformConfig(devRawConfig()))).toEqual([]);
  });

  it("names every weakening set, by the config path an error would use, with its value", () => {
    const raw = devRawConfig();
    raw.contentSafety = { enabled: true, failOpen: true };
    raw.keyVault = { allowDestroy: true };
    raw.monitoring = { ...raw.monitoring, alerts: false };
    raw.servers[1] = {
      ...raw.servers[1],
      image: "contoso.azurecr.io/mcp/docs-search:2.0",
      allowTagOnlyImages: true,
      sharedClientAppQuota: true,
    };
    expect(weakeningsInEffect(parsePlatformConfig(raw)).map((w) => [w.setting.join("."), w.value])).toEqual([
      ["contentSafety.failOpen", true],
      ["keyVault.allowDestroy", true],
      ["monitoring.alerts", false],
      ["servers.1.allowTagOnlyImages", true],
      ["servers.1.sharedClientAppQuota", true],
    ]);
  });

  it("lists Prompt Shields switched off, and not failOpen, which then means nothing", () => {
    const raw = devRawConfig();
    raw.contentSafety = { enabled: false, failOpen: true };
    expect(weakeningsInEffect(parsePlatformConfig(raw)).map((w) => w.setting.join("."))).toEqual(["contentSafety.enabled"]);
  });
});
