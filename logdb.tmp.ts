import { LogDb } from './main/store/log-db';
import * as fs from 'node:fs';
const val = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-00001', namespace: 'bench', uid: 'e3b0c442-98fc-1c14-9afb-f4c8996fb924', resourceVersion: '', creationTimestamp: '2026-12-05T05:34:31Z', labels: { bench: 'api' }, managedFields: [{ manager: 'flotilla-client', operation: 'Update', apiVersion: 'v1', time: '2026-12-05T05:34:31Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:key': {}, 'f:other': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:bench': {} } } } }] }, data: { key: 'value', other: 'x'.repeat(64) } });
for (const batch of [1, 2, 4, 8, 1]) {
  fs.rmSync('/tmp/s15/ldb', { recursive: true, force: true }); fs.mkdirSync('/tmp/s15/ldb');
  const db = new LogDb('/tmp/s15/ldb/db');
  let id = 1; const N = 8000;
  const t0 = performance.now();
  for (let i = 0; i < N; i += batch) {
    const rows = []; for (let j = 0; j < batch; j++) { rows.push({ id, key: `/registry/configmaps/bench/cm-${String(id).padStart(5, '0')}`, value: val, createRevision: id, prevRevision: 0, deleted: false }); id++; }
    db.append(rows, Date.now());
  }
  const us = ((performance.now() - t0) * 1000) / N;
  console.log(`batch ${batch}: ${us.toFixed(1)} µs per row`);
  db.close();
}
