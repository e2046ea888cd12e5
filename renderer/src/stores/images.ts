// The Images view's data: every node's images and the built-in registry (fetched on demand and again
// when nodes report new image lists or pods change), and the one build at a time with its live log.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BridgeError, BuildFile, NodeImages, RegistryImages } from '../../../main/bridge/contract';
import { call, errorMessage, onEvent } from '../bridge/client';
import type { ChosenFolder } from '../composables/useBuildContext';
import { toBase64 } from '../composables/useBuildContext';

export interface BuildState {
  name: string;
  buildId?: string;
  lines: string[];
  running: boolean;
  result?: { image?: string; digest?: string; error?: BridgeError };
}

const MAX_LOG_LINES = 5000;

export const useImagesStore = defineStore('images', () => {
  const nodes = ref<NodeImages[]>([]);
  const registry = ref<RegistryImages | undefined>();
  const loaded = ref(false);
  const error = ref<string | undefined>();
  /** The folder waiting in the build dialog (a drop or a pick), and the dialog's state. */
  const folder = ref<ChosenFolder | undefined>();
  const buildOpen = ref(false);
  const build = ref<BuildState | undefined>();
  let stopEvents: (() => void) | undefined;

  async function refresh(): Promise<void> {
    try {
      const [n, r] = await Promise.all([call('nodeImages', {}), call('registryImages', null)]);
      nodes.value = n;
      registry.value = r;
      error.value = undefined;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loaded.value = true;
    }
  }

  function listen(): void {
    stopEvents ??= onEvent('build', (p) => {
      const b = build.value;
      if (!b || p.buildId !== b.buildId) return;
      b.lines.push(...p.lines);
      if (b.lines.length > MAX_LOG_LINES) b.lines.splice(0, b.lines.length - MAX_LOG_LINES);
      if (p.end) {
        b.running = false;
        b.result = p.end;
        if (p.end.image) void refresh();
      }
    });
  }

  /** Opens the build dialog on a folder (or none yet); false, leaving it as it is, while a build runs. */
  function openBuild(chosen?: ChosenFolder): boolean {
    buildOpen.value = true;
    if (build.value?.running) return false;
    folder.value = chosen;
    build.value = undefined;
    return true;
  }

  /** Sends the folder's files and starts the build; a refused request ends at once with the server's reason. */
  async function startBuild(name: string): Promise<void> {
    listen();
    const chosen = folder.value;
    build.value = { name, lines: [], running: true };
    const b = build.value;
    try {
      if (!chosen) throw new Error('Choose a folder with a Dockerfile first.');
      const files: BuildFile[] = await Promise.all(chosen.files.map(async (f) => ({ path: f.path, dataBase64: await toBase64(f.file) })));
      b.buildId = (await call('buildImage', { name, files })).buildId;
    } catch (e) {
      b.running = false;
      b.result = { error: { code: 0, reason: 'Refused', message: errorMessage(e) } };
    }
  }

  function dispose(): void {
    stopEvents?.();
    stopEvents = undefined;
  }

  return { nodes, registry, loaded, error, folder, buildOpen, build, refresh, openBuild, startBuild, dispose };
});
