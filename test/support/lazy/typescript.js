"use strict";
// @pulumi/pulumi's typescript-shim, loaded on first use (lazy.js says why): the real shim by its path.
const path = require("path");
const lazy = require("./lazy");
module.exports = lazy(() => require(path.join(__dirname, "..", "..", "..", "node_modules", "@pulumi", "pulumi", "typescript-shim.js")));
