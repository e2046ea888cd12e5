import { afterEach, describe, expect, it } from 'vitest';
import { resourceFor } from '../../../main/api/resources';
import type { KObject } from '../../../main/api/types';
import { closeRegistry, openRegistry as registry } from './fixture';

const CM = resourceFor('', 'v1', 'configmaps')!;

afterEach(closeRegistry);

const body = (name: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { a: 'b' } }, data: { k: 'v' } });

describe('request bodies', () => {
  it('are copied unless handed over: a caller keeps its object as it was', async () => {
    const reg = await registry();
    const mine = body('kept');
    const snapshot = JSON.parse(JSON.stringify(mine)) as KObject;
    const created = await reg.create(CM, 'default', mine, { fieldManager: 'test' });
    expect(mine).toEqual(snapshot);
    expect(created.object.metadata.uid).toBeTruthy();
    const updated = await reg.update(CM, 'default', 'kept', { ...created.object, data: { k: 'w' } }, { fieldManager: 'test' });
    expect(updated.object.data).toEqual({ k: 'w' });
    expect(created.object.data).toEqual({ k: 'v' });
  });

  it('handed over (bodyOwned) store the same object as a copied one', async () => {
    const reg = await registry();
    const a = (await reg.create(CM, 'default', body('a'), { fieldManager: 'test' })).object;
    const b = (await reg.create(CM, 'default', body('b'), { fieldManager: 'test', bodyOwned: true })).object;
    const strip = (o: KObject): unknown => ({ ...o, metadata: { ...o.metadata, name: '', uid: '', resourceVersion: '', creationTimestamp: '', managedFields: (o.metadata?.managedFields ?? []).map((e) => ({ ...e, time: '' })) } });
    expect(strip(b)).toEqual(strip(a));
    expect(reg.get(CM, 'default', 'b').metadata.managedFields).toEqual(b.metadata.managedFields);
  });
});
