// Pod volumes and volume mounts as Kubernetes validates them (ValidateVolumes, validateVolumeSource with
// the hostPath, emptyDir, secret, configMap, downwardAPI, projected and persistentVolumeClaim rules, and
// ValidateVolumeMounts), with its field paths and messages.
import type { Cause } from './cause';
import { duplicate, forbidden, invalid, notFound, notSupported, required } from './cause';
import { dns1123Label } from './container';
import { validateClaimSpec } from './persistentvolumeclaim';
import { isObj, list, num, obj, str, type Obj } from './read';

const VOLUME_SOURCES = ['hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO',
  'storageos', 'csi', 'ephemeral', 'image'];
export const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';
const DOWNWARD_FIELDS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const DOWNWARD_RESOURCES = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];

export function noBacksteps(p: string, path: string): Cause[] {
  return p.split('/').includes('..') ? [invalid(path, p, "must not contain '..'")] : [];
}

function localDescending(p: string, path: string): Cause[] {
  return [...(p.startsWith('/') ? [invalid(path, p, 'must be a relative path')] : []), ...noBacksteps(p, path)];
}

function localNonReserved(p: string, path: string): Cause[] {
  return [...localDescending(p, path), ...(p.startsWith('..') ? [invalid(path, p, "must not start with '..'")] : [])];
}

function fileMode(v: Obj, key: string, path: string): Cause[] {
  const m = num(v[key]);
  return m !== undefined && (m > 0o777 || m < 0) ? [invalid(`${path}.${key}`, m, FILE_MODE)] : [];
}

function keyToPath(kp: Obj, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!str(kp.key)) causes.push(required(`${path}.key`));
  if (!str(kp.path)) causes.push(required(`${path}.path`));
  causes.push(...localNonReserved(str(kp.path), `${path}.path`), ...fileMode(kp, 'mode', path));
  return causes;
}

function downwardFile(f: Obj, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!str(f.path)) causes.push(required(`${path}.path`));
  causes.push(...localNonReserved(str(f.path), `${path}.path`));
  if (isObj(f.fieldRef)) {
    const fp = str(f.fieldRef.fieldPath);
    const subscripted = /^metadata\.(labels|annotations)\[.+\]$/.test(fp);
    if (!fp) causes.push(required(`${path}.fieldRef.fieldPath`));
    else if (!subscripted && !DOWNWARD_FIELDS.includes(fp)) causes.push(notSupported(`${path}.fieldRef.fieldPath`, fp, DOWNWARD_FIELDS));
    if (isObj(f.resourceFieldRef)) causes.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (isObj(f.resourceFieldRef)) {
    const r = f.resourceFieldRef;
    if (!str(r.containerName)) causes.push(required(`${path}.resourceFieldRef.containerName`));
    if (!str(r.resource)) causes.push(required(`${path}.resourceFieldRef.resource`));
    else if (!DOWNWARD_RESOURCES.includes(str(r.resource)) && !/^(limits|requests)\.hugepages-/.test(str(r.resource))) {
      causes.push(notSupported(`${path}.resourceFieldRef.resource`, str(r.resource), DOWNWARD_RESOURCES));
    }
  } else causes.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  causes.push(...fileMode(f, 'mode', path));
  return causes;
}

function projected(src: Obj, path: string): Cause[] {
  const causes: Cause[] = [];
  const paths = new Set<string>();
  const claim = (p: string, owner: string): void => {
    if (!p) return;
    if (paths.has(p)) causes.push(invalid(path, owner, 'conflicting duplicate paths'));
    paths.add(p);
  };
  list(src.sources).forEach((raw, i) => {
    const s = obj(raw);
    const sp = `${path}.sources[${i}]`;
    const kinds = ['secret', 'downwardAPI', 'configMap', 'serviceAccountToken', 'clusterTrustBundle'].filter((k) => isObj(s[k]));
    for (const kind of ['secret', 'configMap'] as const) {
      if (!isObj(s[kind])) continue;
      const ref = s[kind];
      if (!str(ref.name)) causes.push(required(`${sp}.${kind}.name`));
      list(ref.items).forEach((it, j) => { causes.push(...keyToPath(obj(it), `${sp}.${kind}.items[${j}]`)); claim(str(obj(it).path), str(ref.name)); });
    }
    if (isObj(s.downwardAPI)) {
      list(s.downwardAPI.items).forEach((it, j) => { causes.push(...downwardFile(obj(it), `${sp}.downwardAPI.items[${j}]`)); claim(str(obj(it).path), ''); });
    }
    if (isObj(s.serviceAccountToken)) {
      const t = s.serviceAccountToken;
      const secs = num(t.expirationSeconds) ?? 3600;
      if (secs < 600) causes.push(invalid(`${sp}.serviceAccountToken.expirationSeconds`, secs, 'may not specify a duration less than 10 minutes'));
      if (secs > 2 ** 32) causes.push(invalid(`${sp}.serviceAccountToken.expirationSeconds`, secs, 'may not specify a duration larger than 2^32 seconds'));
      if (!str(t.path)) causes.push(required(`${path}.path`));
      else causes.push(...localNonReserved(str(t.path), `${path}.path`));
      claim(str(t.path), '');
    }
    if (kinds.length > 1) causes.push(forbidden(sp, 'may not specify more than 1 volume type per source'));
  });
  causes.push(...fileMode(src, 'defaultMode', path));
  return causes;
}

function volumeSource(v: Obj, p: string): Cause[] {
  const causes: Cause[] = [];
  const sources = VOLUME_SOURCES.filter((s) => isObj(v[s]));
  if (sources.length === 0) causes.push(required(p, 'must specify a volume type'));
  for (const s of sources.slice(1)) causes.push(forbidden(`${p}.${s}`, 'may not specify more than 1 volume type'));
  if (isObj(v.hostPath)) {
    const hp = str(v.hostPath.path);
    if (!hp) causes.push(required(`${p}.hostPath.path`));
    causes.push(...noBacksteps(hp, `${p}.hostPath.path`));
    const type = str(v.hostPath.type);
    if (!HOST_PATH_TYPES.includes(type)) causes.push(notSupported(`${p}.hostPath.type`, type, HOST_PATH_TYPES));
  }
  for (const [kind, nameKey] of [['secret', 'secretName'], ['configMap', 'name']] as const) {
    if (!isObj(v[kind])) continue;
    const src = v[kind];
    if (!str(src[nameKey])) causes.push(required(`${p}.${kind}.${nameKey}`));
    causes.push(...fileMode(src, 'defaultMode', `${p}.${kind}`));
    list(src.items).forEach((it, j) => causes.push(...keyToPath(obj(it), `${p}.${kind}.items[${j}]`)));
  }
  if (isObj(v.downwardAPI)) {
    causes.push(...fileMode(v.downwardAPI, 'defaultMode', `${p}.downwardAPI`));
    list(v.downwardAPI.items).forEach((it, j) => causes.push(...downwardFile(obj(it), `${p}.downwardAPI.items[${j}]`)));
  }
  if (isObj(v.persistentVolumeClaim) && !str(v.persistentVolumeClaim.claimName)) causes.push(required(`${p}.persistentVolumeClaim.claimName`));
  if (isObj(v.projected)) causes.push(...projected(v.projected, `${p}.projected`));
  // validateEphemeralVolumeSource: the claim template is required and its spec a valid claim's.
  if (isObj(v.ephemeral)) {
    const template = v.ephemeral.volumeClaimTemplate;
    if (!isObj(template)) causes.push(required(`${p}.ephemeral.volumeClaimTemplate`));
    else causes.push(...validateClaimSpec(template.spec ?? {}, `${p}.ephemeral.volumeClaimTemplate.spec`));
  }
  return causes;
}

/** ValidateVolumes; returns the causes and the names of the volumes for the mounts' checks. */
export function validateVolumes(volumes: unknown, path: string): { causes: Cause[]; names: Set<string> } {
  const causes: Cause[] = [];
  const names = new Set<string>();
  list(volumes).forEach((raw, i) => {
    const v = obj(raw);
    const p = `${path}[${i}]`;
    causes.push(...volumeSource(v, p));
    const name = str(v.name);
    if (!name) causes.push(required(`${p}.name`));
    else causes.push(...dns1123Label(name, `${p}.name`));
    if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
    names.add(name);
  });
  return { causes, names };
}

/** ValidateVolumeMounts (name and mountPath being required is checked with the container). */
export function validateVolumeMounts(container: unknown, volumes: Set<string>, path: string): Cause[] {
  const causes: Cause[] = [];
  const c = obj(container);
  const privileged = obj(c.securityContext).privileged === true;
  const mountPaths = new Set<string>();
  list(c.volumeMounts).forEach((raw, i) => {
    const m = obj(raw);
    const p = `${path}[${i}]`;
    const name = str(m.name);
    if (!volumes.has(name)) causes.push(notFound(`${p}.name`, name));
    const mp = str(m.mountPath);
    if (mountPaths.has(mp)) causes.push(invalid(`${p}.mountPath`, mp, 'must be unique'));
    mountPaths.add(mp);
    // Kubernetes reports these two under the list's path, not the item's.
    if (str(m.subPath)) causes.push(...localDescending(str(m.subPath), `${path}.subPath`));
    if (str(m.subPathExpr)) {
      if (str(m.subPath)) causes.push(invalid(`${p}.subPathExpr`, str(m.subPathExpr), 'subPathExpr and subPath are mutually exclusive'));
      causes.push(...localDescending(str(m.subPathExpr), `${path}.subPathExpr`));
    }
    const prop = m.mountPropagation;
    if (prop !== undefined && prop !== null) {
      if (!PROPAGATIONS.includes(str(prop))) causes.push(notSupported(`${path}.mountPropagation`, prop, PROPAGATIONS));
      else if (prop === 'Bidirectional' && !privileged) causes.push(forbidden(`${path}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
    }
  });
  return causes;
}
