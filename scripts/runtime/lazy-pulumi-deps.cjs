"use strict";
/**
 * Preloaded by the default program's launch (Pulumi.yaml `nodeargs`, `--require`; the language host starts the
 * program in infra/, hence the relative path there): @pulumi/pulumi's load-time requires of TypeScript and
 * @npmcli/arborist get modules that load on first use (lazyModule.cjs says why). Only requests made by
 * @pulumi/pulumi's own files are deferred; anyone else requiring either gets it as usual.
 */
const Module = require("node:module");
const path = require("node:path");
const lazy = require("./lazyModule.cjs");

const PULUMI = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
const DEFERRED = (request) => request === "@npmcli/arborist" || /(^|\/)typescript-shim(\.js)?$/.test(request);
const load = Module._load;
const proxies = new Map();

Module._load = function loadDeferred(request, parent, isMain) {
  if (!parent || typeof parent.filename !== "string" || !parent.filename.includes(PULUMI) || !DEFERRED(request)) {
    return load.apply(this, arguments);
  }
  const resolved = Module._resolveFilename(request, parent, isMain);
  let proxy = proxies.get(resolved);
  if (proxy === undefined) {
    proxy = lazy(() => load.call(Module, resolved, parent, false));
    proxies.set(resolved, proxy);
  }
  return proxy;
};
