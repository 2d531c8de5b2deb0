"use strict";
// @npmcli/arborist, loaded on first use (lazy.js says why): the real package by its path.
const path = require("path");
const lazy = require("./lazy");
module.exports = lazy(() => require(path.join(__dirname, "..", "..", "..", "node_modules", "@npmcli", "arborist")));
