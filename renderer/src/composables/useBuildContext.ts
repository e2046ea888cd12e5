// A folder chosen for a build, as files with paths relative to it: from a drop (the entry API that
// Chromium and Electron give for a dropped directory) or from a directory picker (webkitRelativePath).
export interface ContextFile { path: string; file: File }

export interface ChosenFolder { folder: string; files: ContextFile[] }

function readEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = (): void => reader.readEntries((batch) => {
      if (!batch.length) { resolve(all); return; }
      all.push(...batch);
      next();
    }, reject);
    next();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every file under a dropped directory, with paths relative to it. */
export async function folderFromEntry(root: FileSystemDirectoryEntry): Promise<ChosenFolder> {
  const files: ContextFile[] = [];
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    for (const e of await readEntries(dir)) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory) await walk(e as FileSystemDirectoryEntry, rel);
      else if (e.isFile) files.push({ path: rel, file: await fileOf(e as FileSystemFileEntry) });
    }
  };
  await walk(root, '');
  return { folder: root.name, files };
}

/** The files of an <input webkitdirectory>: the first path component is the folder itself. */
export function folderFromInput(list: FileList): ChosenFolder {
  const files = Array.from(list).map((file) => {
    const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    const slash = rel.indexOf('/');
    return { folder: slash < 0 ? '' : rel.slice(0, slash), path: slash < 0 ? rel : rel.slice(slash + 1), file };
  });
  return { folder: files[0]?.folder ?? '', files: files.map(({ path, file }) => ({ path, file })) };
}

export async function toBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
