"use strict";
// @pulumi/pulumi's typescript-shim, loaded on first use (scripts/runtime/lazyModule.cjs says why): the real shim by its path.
const path = require("path");
const lazy = require("../../../scripts/runtime/lazyModule.cjs");
module.exports = lazy(() => require(path.join(__dirname, "..", "..", "..", "node_modules", "@pulumi", "pulumi", "typescript-shim.js")));
