"use strict";
/**
 * A module that loads on first use. @pulumi/pulumi requires TypeScript (typescript-shim) and @npmcli/arborist
 * when it loads, for closure serialization (`pulumi.runtime.serializeFunction`), which the kit never uses:
 * together about 1.4 CPU-seconds and 100 MiB of every program start (TypeScript alone is 9 MB of JavaScript to
 * compile). Used by the default program's launch (lazy-pulumi-deps.cjs, a node argument in Pulumi.yaml) and by
 * jest (jest.config.js moduleNameMapper), which loads modules afresh for every test file.
 *
 * The proxy answers `__esModule` itself (so `__importStar` hands the proxy through untouched) and loads the real
 * module on any other use, so a program that does serialize a closure gets the real thing.
 */
module.exports = function lazy(load) {
  let real;
  const target = () => (real ??= load());
  return new Proxy(function lazyModule() {}, {
    get: (_, key) => (key === "__esModule" ? true : target()[key]),
    has: (_, key) => key in target(),
    set: (_, key, value) => ((target()[key] = value), true),
    apply: (_, self, args) => Reflect.apply(target(), self, args),
    construct: (_, args) => Reflect.construct(target(), args),
  });
};
