// Numbers as short readable text (parsing quantities is main/api/quantity.ts).
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function formatCpu(millis: number): string {
  if (!Number.isFinite(millis)) return '—';
  return millis >= 1000 ? `${(millis / 1000).toFixed(millis >= 10000 ? 0 : 1)} CPU` : `${Math.round(millis)}m`;
}
