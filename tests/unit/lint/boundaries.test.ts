// The import boundaries (eslint.config.mjs, ARCHITECTURE.md "Import rules") as `npm run lint` applies
// them: source text linted as if it were a file at the given path, with the project's own config.
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
// The probe files exist only as text, so no TypeScript project holds them: the type-checked rules
// (which need one) are switched off; the boundary rules need no types.
const eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.filter((m) => m.ruleId?.startsWith('boundaries/')).map((m) => `${m.line}: ${m.message}`);
}

describe('import boundaries', () => {
  it.each([
    ['the renderer importing the store', 'renderer/src/lib/probe.ts',
      "import { openStore } from '../../../main/store/sqlite-store';\nexport const x = openStore;\n",
      'from elements of type "renderer" to elements of type "store"'],
    ['the renderer importing the bridge beyond its contract', 'renderer/src/views/Probe.vue',
      "<script setup lang=\"ts\">\nimport { registerIpc } from '../../../main/bridge/ipc';\nconst x = registerIpc;\n</script>\n<template><div>{{ x }}</div></template>\n",
      'from elements of type "renderer" to elements of type "bridge"'],
    ['the scheduler importing a controller', 'main/scheduler/probe.ts',
      "import { startControlLoops } from '../controllers';\nexport const x = startControlLoops;\n",
      'from elements of type "scheduler" to elements of type "controllers"'],
    ['a controller importing the scheduler', 'main/controllers/probe.ts',
      "import { startScheduler } from '../scheduler';\nexport const x = startScheduler;\n",
      'from elements of type "controllers" to elements of type "scheduler"'],
    ['the agent importing the store', 'vm-images/agent/probe.ts',
      "import { openStore } from '../../main/store/sqlite-store';\nexport const x = openStore;\n",
      'from elements of type "agent" to elements of type "store"'],
    ['the agent importing Electron', 'vm-images/agent/probe.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
      'module source "electron"'],
    ['main/api importing a Node built-in', 'main/api/probe.ts',
      "import * as fs from 'node:fs';\nexport const x = fs;\n",
      'origin "core" are not allowed in elements of type "api"'],
    ['a client other than local.ts importing API-server internals', 'main/client/probe.ts',
      "import { ApiError } from '../apiserver/status';\nexport const x = ApiError;\n",
      'from elements of type "client" to elements of type "apiserver"'],
    ['a command other than a benchmark importing agent internals', 'main/cli/probe.ts',
      "import { Proxier } from '../../vm-images/agent/proxy/proxier';\nexport const x = Proxier;\n",
      'from elements of type "cli" to elements of type "agent"'],
    ['a file in a folder that is no element', 'main/newfolder/probe.ts',
      'export const x = 1;\n',
      'does not belong to any known element'],
  ])('fails %s', async (_what, file, code, expected) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
  });

  it.each([
    ['the renderer importing the contract (types) and a pure api module', 'renderer/src/lib/probe.ts',
      "import type { BridgeApi } from '../../../main/bridge/contract';\nimport { quantityOrNaN } from '../../../main/api/quantity';\nexport type B = BridgeApi;\nexport const x = quantityOrNaN;\n"],
    ['the agent importing the HTTP client and the shared protocol', 'vm-images/agent/probe.ts',
      "import { HttpClient } from '../../main/client/http';\nimport { pollUntil } from '../../main/protocol/poll';\nexport const x = [HttpClient, pollUntil];\n"],
    ['the in-process client importing the registry (its named exception)', 'main/client/local.ts',
      "import type { Registry } from '../apiserver/registry/registry';\nexport type R = Registry;\n"],
    ['a benchmark driving the agent\'s proxier (its named exception)', 'main/cli/bench-probe.ts',
      "import { Proxier } from '../../vm-images/agent/proxy/proxier';\nexport const x = Proxier;\n"],
  ])('passes %s', async (_what, file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
