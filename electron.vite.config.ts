// Three builds with explicit entries: the main process (the Electron entry out/main/index.js and the
// `flotilla` command out/main/cli.js, sharing chunks beside them), the preload script, the renderer.
// `flotilla serve` serves out/renderer over HTTP (web mode); Electron loads it from disk.
// The files the node manager hands to other programs are copied to out/assets/ (main/nodes/assets.ts).
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { BUNDLED_ASSETS } from './main/nodes/assets';
import pkg from './package.json';

// The main process's dependencies are bundled into its chunks: loading them file by file (some 850 files at
// `flotilla serve`'s start) cost more than compiling one text. Left to node_modules: better-sqlite3 (a native
// addon found through `bindings`) and ssh2 (its optional native crypto binding is required by a relative path).
const MAIN_EXTERNAL = ['better-sqlite3', 'ssh2'];
const MAIN_BUNDLED = Object.keys(pkg.dependencies).filter((d) => !MAIN_EXTERNAL.includes(d));

function copyAssets(): Plugin {
  return {
    name: 'flotilla-assets',
    writeBundle() {
      for (const asset of BUNDLED_ASSETS) {
        const to = resolve(__dirname, 'out/assets', asset);
        mkdirSync(dirname(to), { recursive: true });
        cpSync(resolve(__dirname, 'vm-images', asset), to);
      }
    },
  };
}

export default defineConfig({
  main: {
    plugins: [copyAssets()],
    build: {
      outDir: 'out/main',
      externalizeDeps: { exclude: MAIN_BUNDLED },
      rolldownOptions: {
        input: { index: resolve(__dirname, 'main/index.ts'), cli: resolve(__dirname, 'main/cli.ts') },
        // Chunks beside the entries: __dirname is out/main in every file of the bundle.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot require other files: one self-contained CommonJS file.
      rolldownOptions: { input: { index: resolve(__dirname, 'preload/index.ts') }, output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
