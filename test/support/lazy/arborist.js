"use strict";
// @npmcli/arborist, loaded on first use (scripts/runtime/lazyModule.cjs says why): the real package by its path.
const path = require("path");
const lazy = require("../../../scripts/runtime/lazyModule.cjs");
module.exports = lazy(() => require(path.join(__dirname, "..", "..", "..", "node_modules", "@npmcli", "arborist")));
