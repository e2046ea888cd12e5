// `node --require register.js out/main/index.js`: `require('electron')` gets electron.js, a stand-in with
// just what main/index.ts and main/bridge/ipc.ts use, so the Electron main bundle runs under plain Node.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded with node --require before the bundle */
const Module = require('node:module');
const path = require('node:path');

const fake = path.join(__dirname, 'electron.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? fake : resolve.call(this, request, ...rest);
};
