// require('wasmtorch') lands here: the package is ES modules only (it instantiates its WebAssembly kernels with
// top-level await, which require() cannot wait for), so CommonJS gets a message that says how to load it.
'use strict';
const error = new Error(
  "wasmtorch is an ES module package and cannot be loaded with require(). From CommonJS use " +
  "`const torch = await import('wasmtorch');` (inside an async function), or write your program as an ES module " +
  "(a .mjs file, or \"type\": \"module\" in package.json) and `import * as torch from 'wasmtorch';`.");
error.code = 'ERR_WASMTORCH_ESM_ONLY';
throw error;
