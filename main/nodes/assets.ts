// Where the files the node manager hands to other programs live (VM templates, the agent bundle,
// the demo images, pause.c): one answer for the three ways Flotilla runs.
//   sources (tsx, vitest):      templates in vm-images/, the agent and images in out/agent/ (npm run build);
//   the bundle (out/main/*.js): out/assets/ (copied by electron.vite.config.ts) and out/agent/;
//   a packaged app:             <resources>/assets/ and <resources>/agent/ (electron-builder extraResources).
// The bundle never looks into the source tree: a file missing from out/ fails there as it would in a package.
import * as path from 'node:path';

/** The assets copied into the bundle, by their path under vm-images/ (the source) and out/assets/ (the bundle). */
export const BUNDLED_ASSETS = ['lima/worker.yaml', 'multipass/cloud-init.yaml', 'images/pause.c'] as const;
export type BundledAsset = (typeof BUNDLED_ASSETS)[number];

/** Run from the TypeScript sources (tsx, vitest) rather than from a bundle. */
export const fromSources = __filename.endsWith('.ts');

/** The packaged app's resources directory, when this code runs from inside it. */
function packagedResources(): string | undefined {
  const res = (process as { resourcesPath?: string }).resourcesPath;
  return res && __dirname.startsWith(res + path.sep) ? res : undefined;
}

/** The directory that holds assets/ and agent/ (and renderer/ but in a package, whose window loads it from app.asar): out/ or the resources. */
export function bundleRoot(): string {
  if (fromSources) return path.resolve(__dirname, '../../out');
  return packagedResources() ?? path.resolve(__dirname, '..');
}

/** The file of a bundled asset. */
export function assetPath(asset: BundledAsset): string {
  return fromSources ? path.resolve(__dirname, '../../vm-images', asset) : path.join(bundleRoot(), 'assets', asset);
}

/** The agent's directory: agent.js and images/*.tar (scripts/build-agent.mjs). */
export function agentDir(): string {
  return path.join(bundleRoot(), 'agent');
}
