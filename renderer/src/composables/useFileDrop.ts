// Files dropped onto the window: YAML is applied (server-side apply), image tarballs imported, and a
// folder opens the build dialog of the Images view with its files.
import { onScopeDispose, ref } from 'vue';
import { useActions } from './useActions';
import { useNoticesStore } from '../stores/notices';
import { useImagesStore } from '../stores/images';
import { useNavStore } from '../stores/nav';
import { folderFromEntry, toBase64 } from './useBuildContext';

export type DroppedKind = 'yaml' | 'image' | 'other';

export function classifyFile(name: string): DroppedKind {
  const n = name.toLowerCase();
  if (n.endsWith('.yaml') || n.endsWith('.yml') || n.endsWith('.json')) return 'yaml';
  if (n.endsWith('.tar') || n.endsWith('.tar.gz') || n.endsWith('.tgz') || n.endsWith('.oci')) return 'image';
  return 'other';
}

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

/** Listens on the window while in scope; `active` is true while files are dragged over it. */
export function useFileDrop(target: Window = window) {
  const actions = useActions();
  const notices = useNoticesStore();
  const active = ref(false);
  let depth = 0;

  async function handleFile(file: File): Promise<void> {
    const kind = classifyFile(file.name);
    if (kind === 'yaml') await actions.applyYaml(file.name, await file.text());
    else if (kind === 'image') await actions.importImage(file.name, await toBase64(file));
    else notices.error(`Cannot use ${file.name}`, 'Drop a Kubernetes YAML file (.yaml, .yml, .json) to apply it, or an image tarball (.tar) to import it.');
  }

  const onEnter = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    depth++;
    active.value = true;
  };
  const onLeave = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) active.value = false;
  };
  const onOver = (e: DragEvent) => {
    if (hasFiles(e)) e.preventDefault();
  };
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    active.value = false;
    // Entries must be taken while the drop event runs; a folder goes to the build dialog.
    const dir = Array.from(e.dataTransfer?.items ?? []).map((i) => i.webkitGetAsEntry?.()).find((en) => en?.isDirectory);
    if (dir) {
      void folderFromEntry(dir as FileSystemDirectoryEntry).then((f) => {
        useNavStore().view = 'images';
        if (!useImagesStore().openBuild(f)) notices.error(`Cannot build ${f.folder} yet`, 'A build is running: drop the folder again when it has ended.');
      }, (err: unknown) => notices.error(`Cannot read the folder ${dir.name}`, String(err)));
      return;
    }
    for (const f of Array.from(e.dataTransfer?.files ?? [])) void handleFile(f);
  };
  target.addEventListener('dragenter', onEnter);
  target.addEventListener('dragleave', onLeave);
  target.addEventListener('dragover', onOver);
  target.addEventListener('drop', onDrop);
  onScopeDispose(() => {
    target.removeEventListener('dragenter', onEnter);
    target.removeEventListener('dragleave', onLeave);
    target.removeEventListener('dragover', onOver);
    target.removeEventListener('drop', onDrop);
  });
  return { active, handleFile };
}
