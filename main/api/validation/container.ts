// Container validation (validateContainerCommon, ports, env, resources, probes) shared by Pods
// and pod templates.
import type { Cause } from './cause';
import { duplicate, forbidden, invalid, notSupported, required } from './cause';
import { isDNS1123Label, isQualifiedName, isRelaxedEnvVarName, isValidPortName, isValidPortNum } from './names';
import { checkType, isObj, list, num, obj, str } from './read';
import { parseQuantity, QUANTITY_FORMAT_MESSAGE } from '../quantity';
import { validateSecurityContext } from './security-context';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function dns1123Label(value: string, path: string): Cause[] {
  return isDNS1123Label(value).map((m) => invalid(path, value, m));
}

export function nonNegative(value: unknown, path: string): Cause[] {
  return typeof value === 'number' && value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** An IntOrString port: a number in 1–65535 or an IANA_SVC_NAME. */
export function validatePortNumOrName(port: unknown, path: string): Cause[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(path, port, m));
  return [required(path)];
}

function validateProtocol(protocol: unknown, path: string): Cause[] {
  const p = str(protocol);
  if (!p) return [required(path)];
  return PROTOCOLS.includes(p) ? [] : [notSupported(path, p, PROTOCOLS)];
}

function validateContainerPorts(ports: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const names = new Set<string>();
  list(ports).forEach((raw, i) => {
    const port = obj(raw);
    const p = `${path}[${i}]`;
    const name = str(port.name);
    if (name) {
      const errs = isValidPortName(name);
      if (errs.length) for (const m of errs) causes.push(invalid(`${p}.name`, name, m));
      else if (names.has(name)) causes.push(duplicate(`${p}.name`, name));
      else names.add(name);
    }
    if (checkType(causes, `${p}.containerPort`, port.containerPort, 'integer')) {
      const cp = num(port.containerPort) ?? 0;
      if (cp === 0) causes.push(required(`${p}.containerPort`));
      else for (const m of isValidPortNum(cp)) causes.push(invalid(`${p}.containerPort`, cp, m));
    }
    const hp = num(port.hostPort) ?? 0;
    if (hp !== 0) for (const m of isValidPortNum(hp)) causes.push(invalid(`${p}.hostPort`, hp, m));
    causes.push(...validateProtocol(port.protocol ?? 'TCP', `${p}.protocol`));
  });
  return causes;
}

function validateEnv(env: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  list(env).forEach((raw, i) => {
    const ev = obj(raw);
    const p = `${path}[${i}]`;
    const name = str(ev.name);
    if (!name) causes.push(required(`${p}.name`));
    else for (const m of isRelaxedEnvVarName(name)) causes.push(invalid(`${p}.name`, name, m));
    if (isObj(ev.valueFrom) && str(ev.value) !== '') {
      causes.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
  });
  return causes;
}

const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const OVERCOMMITTABLE = (name: string): boolean => !name.startsWith('hugepages-');

function validateResources(resources: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const res = obj(resources);
  const parsed: Record<'limits' | 'requests', Record<string, number>> = { limits: {}, requests: {} };
  for (const kind of ['limits', 'requests'] as const) {
    const base = `${path}.${kind}`;
    if (!checkType(causes, base, res[kind], 'object')) continue;
    for (const [name, q] of Object.entries(obj(res[kind]))) {
      const p = `${base}[${name}]`;
      if (!name.includes('/') && !STANDARD_CONTAINER_RESOURCES.includes(name) && !name.startsWith('hugepages-')) {
        causes.push(invalid(p, name, 'must be a standard resource for containers'));
        continue;
      }
      if (name.includes('/')) for (const m of isQualifiedName(name)) causes.push(invalid(p, name, m));
      let v: number;
      try {
        if (typeof q !== 'string' && typeof q !== 'number') throw new Error('type');
        v = parseQuantity(q);
      } catch {
        causes.push(invalid(p, typeof q === 'string' ? q : String(q), QUANTITY_FORMAT_MESSAGE));
        continue;
      }
      if (v < 0) causes.push(invalid(p, String(q), 'must be greater than or equal to 0'));
      parsed[kind][name] = v;
    }
  }
  const limits = obj(res.limits);
  for (const [name, reqV] of Object.entries(parsed.requests)) {
    const limV = parsed.limits[name];
    if (limV === undefined) continue;
    const reqS = String(obj(res.requests)[name]);
    const limS = String(limits[name]);
    if (!OVERCOMMITTABLE(name) && reqV !== limV) causes.push(invalid(`${path}.requests`, reqS, `must be equal to ${name} limit of ${limS}`));
    else if (reqV > limV) causes.push(invalid(`${path}.requests`, reqS, `must be less than or equal to ${name} limit of ${limS}`));
  }
  return causes;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function validateProbe(probe: unknown, path: string, mustSucceedOnce: boolean): Cause[] {
  if (probe === undefined || probe === null) return [];
  const causes: Cause[] = [];
  const p = obj(probe);
  const handlers = HANDLERS.filter((h) => isObj(p[h]));
  if (handlers.length === 0) causes.push(required(path, 'must specify a handler type'));
  for (const h of handlers.slice(1)) causes.push(forbidden(`${path}.${h}`, 'may not specify more than 1 handler type'));
  if (isObj(p.httpGet)) {
    causes.push(...validatePortNumOrName(p.httpGet.port, `${path}.httpGet.port`));
    const scheme = str(p.httpGet.scheme);
    if (scheme && scheme !== 'HTTP' && scheme !== 'HTTPS') causes.push(notSupported(`${path}.httpGet.scheme`, scheme, ['HTTP', 'HTTPS']));
  }
  if (isObj(p.tcpSocket)) causes.push(...validatePortNumOrName(p.tcpSocket.port, `${path}.tcpSocket.port`));
  // validateGRPCAction: the port is an int32, 0 when left out (Go's zero value), so a missing one is out of range.
  if (isObj(p.grpc)) causes.push(...validatePortNumOrName(p.grpc.port ?? 0, `${path}.grpc.port`));
  if (isObj(p.exec) && list(p.exec.command).length === 0) causes.push(required(`${path}.exec.command`));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if (checkType(causes, `${path}.${f}`, p[f], 'integer')) causes.push(...nonNegative(p[f], `${path}.${f}`));
  }
  if (mustSucceedOnce && typeof p.successThreshold === 'number' && p.successThreshold !== 1) {
    causes.push(invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  return causes;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

/** Validate one container; `regular` adds the image and probe checks of app containers. */
export function validateContainer(raw: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const c = obj(raw);
  for (const [k, t] of [['name', 'string'], ['image', 'string'], ['command', 'array'], ['args', 'array'], ['ports', 'array'], ['env', 'array'], ['resources', 'object']] as const) {
    checkType(causes, `${path}.${k}`, c[k], t);
  }
  const name = str(c.name);
  if (!name) causes.push(required(`${path}.name`));
  else causes.push(...dns1123Label(name, `${path}.name`));
  causes.push(...validateContainerPorts(c.ports, `${path}.ports`));
  causes.push(...validateEnv(c.env, `${path}.env`));
  list(c.volumeMounts).forEach((m, i) => {
    const mount = obj(m);
    if (!str(mount.name)) causes.push(required(`${path}.volumeMounts[${i}].name`));
    if (!str(mount.mountPath)) causes.push(required(`${path}.volumeMounts[${i}].mountPath`));
  });
  const pull = str(c.imagePullPolicy);
  if (pull && !PULL_POLICIES.includes(pull)) causes.push(notSupported(`${path}.imagePullPolicy`, pull, PULL_POLICIES));
  causes.push(...validateResources(c.resources, `${path}.resources`));
  const tmp = str(c.terminationMessagePolicy);
  if (tmp && !MESSAGE_POLICIES.includes(tmp)) causes.push(notSupported(`${path}.terminationMessagePolicy`, tmp, MESSAGE_POLICIES));
  causes.push(...validateSecurityContext(c.securityContext, `${path}.securityContext`));
  return causes;
}

/** validateContainerOnlyForPod: a pod's container (not a template's) names its image exactly. */
export function validateContainerImage(raw: unknown, path: string): Cause[] {
  const image = str(obj(raw).image);
  if (!image) return [required(`${path}.image`)];
  return image.trim() !== image ? [invalid(`${path}.image`, image, 'must not have leading or trailing whitespace')] : [];
}

/** A container's liveness, readiness and startup probes (allowed on app containers and sidecars). */
export function validateContainerProbes(raw: unknown, path: string): Cause[] {
  const c = obj(raw);
  return [
    ...validateProbe(c.livenessProbe, `${path}.livenessProbe`, true),
    ...validateProbe(c.readinessProbe, `${path}.readinessProbe`, false),
    ...validateProbe(c.startupProbe, `${path}.startupProbe`, true),
  ];
}
