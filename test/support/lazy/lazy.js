"use strict";
/**
 * A module that loads on first use (jest only, see jest.config.js moduleNameMapper). @pulumi/pulumi requires
 * TypeScript and @npmcli/arborist at load time for closure serialization, which the kit never uses; jest loads
 * modules afresh for every test file, and these two were a large part of each file's start. The proxy answers
 * `__esModule` itself (so `__importStar` hands the proxy through untouched) and loads the real module on any
 * other use, so a test that did serialize a closure would get the real thing.
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
