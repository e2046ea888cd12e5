// networking.k8s.io/v1 Ingress and IngressClass validation (pkg/apis/networking/validation: ValidateIngressCreate,
// ValidateIngressUpdate, ValidateIngressStatusUpdate, ValidateIngressClass, ValidateIngressClassUpdate).
// Relaxations Kubernetes keeps for objects persisted before a rule existed do not apply: every object here was validated.
import type { KObject } from '../types';
import { ANN_INGRESS_CLASS } from '../ingress';
import type { Cause } from './cause';
import { forbidden, immutable, invalid, notSupported, required, tooLong } from './cause';
import { GoRepr } from './gofmt';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain } from './meta';
import {
  domainPrefixedPathProblems, ipFamilyOf, isDNS1123Subdomain, isValidIP, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain,
} from './names';
import { nameIsPathSegment } from './rbac';
import { isObj, list, obj, str } from './read';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const PARAMETER_SCOPES = ['Cluster', 'Namespace'];
const MAX_CONTROLLER_LENGTH = 250;
const NOT_IP = 'must be a DNS name, not an IP address';

/** A rule's host: a DNS subdomain or a wildcard one, never an IP address. */
function validateHost(host: string, path: string, causes: Cause[]): void {
  if (ipFamilyOf(host)) causes.push(invalid(path, host, NOT_IP));
  const problems = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  for (const m of problems) causes.push(invalid(path, host, m));
}

function validatePath(p: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const type = p.pathType;
  if (type === undefined || type === null) return [required(`${path}.pathType`, 'pathType must be specified')];
  const value = str(p.path);
  if (type === 'Exact' || type === 'Prefix') {
    if (!value.startsWith('/')) causes.push(invalid(`${path}.path`, value, 'must be an absolute path'));
    if (value) {
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) causes.push(invalid(`${path}.path`, value, `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) causes.push(invalid(`${path}.path`, value, `cannot end with '${suffix}'`));
    }
  } else if (type === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) causes.push(invalid(`${path}.path`, value, 'must be an absolute path'));
  } else {
    causes.push(notSupported(`${path}.pathType`, type, PATH_TYPES));
  }
  return [...causes, ...validateBackend(p.backend, `${path}.backend`)];
}

/** validateIngressTypedLocalObjectReference (a resource backend). */
function validateResourceRef(ref: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  if (typeof ref.apiGroup === 'string') for (const m of isDNS1123Subdomain(ref.apiGroup)) causes.push(invalid(`${path}.apiGroup`, ref.apiGroup, m));
  for (const field of ['kind', 'name'] as const) {
    const v = str(ref[field]);
    if (!v) causes.push(required(`${path}.${field}`));
    else for (const m of nameIsPathSegment(v, false)) causes.push(invalid(`${path}.${field}`, v, m));
  }
  return causes;
}

function validateBackend(backendIn: unknown, path: string): Cause[] {
  const b = obj(backendIn);
  const hasResource = isObj(b.resource);
  const hasService = isObj(b.service);
  if (hasResource && hasService) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateResourceRef(obj(b.resource), `${path}.resource`);
  if (!hasService) return [invalid(path, '', 'resource or service backend is required')];
  const causes: Cause[] = [];
  const svc = obj(b.service);
  const name = str(svc.name);
  if (!name) causes.push(required(`${path}.service.name`));
  else for (const m of nameIsDNS1035Label(name, false)) causes.push(invalid(`${path}.service.name`, name, m));
  const port = obj(svc.port);
  const portName = str(port.name);
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName && portNumber) causes.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) for (const m of isValidPortName(portName)) causes.push(invalid(`${path}.service.port.name`, portName, m));
  else if (portNumber) for (const m of isValidPortNum(portNumber)) causes.push(invalid(`${path}.service.port.number`, portNumber, m));
  else causes.push(required(path, 'port name or number is required'));
  return causes;
}

function validateRules(rules: unknown[], path: string): Cause[] {
  const causes: Cause[] = [];
  rules.forEach((ruleIn, i) => {
    const rule = obj(ruleIn);
    const host = str(rule.host);
    if (host) validateHost(host, `${path}[${i}].host`, causes);
    if (!isObj(rule.http)) return;
    const paths = list(rule.http.paths);
    const httpPath = `${path}[${i}].http.paths`;
    if (paths.length === 0) causes.push(required(httpPath));
    paths.forEach((p, j) => causes.push(...validatePath(obj(p), `${httpPath}[${j}]`)));
  });
  return causes;
}

function validateTLS(tls: unknown[], path: string): Cause[] {
  const causes: Cause[] = [];
  tls.forEach((tIn, i) => {
    const t = obj(tIn);
    list(t.hosts).forEach((h, j) => {
      const host = str(h);
      const problems = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of problems) causes.push(invalid(`${path}[${i}].hosts[${j}]`, host, m));
    });
    const secret = str(t.secretName);
    if (secret) for (const m of nameIsDNSSubdomain(secret, false)) causes.push(invalid(`${path}[${i}].secretName`, secret, m));
  });
  return causes;
}

export function validateIngress(ing: KObject): Cause[] {
  const spec = obj(ing.spec);
  const causes: Cause[] = [];
  const rules = list(spec.rules);
  const hasDefault = isObj(spec.defaultBackend);
  if (rules.length === 0 && !hasDefault) {
    const shown = new GoRepr(Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)');
    causes.push(invalid('spec', shown, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (hasDefault) causes.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  causes.push(...validateRules(rules, 'spec.rules'), ...validateTLS(list(spec.tls), 'spec.tls'));
  if (typeof spec.ingressClassName === 'string') {
    for (const m of nameIsDNSSubdomain(spec.ingressClassName, false)) causes.push(invalid('spec.ingressClassName', spec.ingressClassName, m));
  }
  return causes;
}

/** ValidateIngressCreate's own rule: the class annotation and field agree when both are set. */
export function validateIngressCreate(ing: KObject): Cause[] {
  const annotation = ing.metadata?.annotations?.[ANN_INGRESS_CLASS];
  const field = obj(ing.spec).ingressClassName;
  if (annotation !== undefined && typeof field === 'string' && annotation !== field) {
    return [invalid(`annotations.${ANN_INGRESS_CLASS}`, annotation, 'must match `ingressClassName` when both are specified')];
  }
  return [];
}

/** ValidateIngressLoadBalancerStatus: each entry's ip is an IP, its hostname a DNS name. */
export function validateIngressStatus(ing: KObject): Cause[] {
  const causes: Cause[] = [];
  list(obj(obj(ing.status).loadBalancer).ingress).forEach((eIn, i) => {
    const e = obj(eIn);
    const path = `status.loadBalancer.ingress[${i}]`;
    const ip = str(e.ip);
    if (ip) for (const m of isValidIP(ip)) causes.push(invalid(`${path}.ip`, ip, m));
    const hostname = str(e.hostname);
    if (hostname) {
      for (const m of isDNS1123Subdomain(hostname)) causes.push(invalid(`${path}.hostname`, hostname, m));
      if (ipFamilyOf(hostname)) causes.push(invalid(`${path}.hostname`, hostname, NOT_IP));
    }
  });
  return causes;
}

function validateParameters(pIn: unknown, path: string): Cause[] {
  if (!isObj(pIn)) return [];
  const causes = validateResourceRef(pIn, path);
  const scope = pIn.scope;
  if (typeof scope !== 'string') return [...causes, required(`${path}.scope`)];
  if (!PARAMETER_SCOPES.includes(scope)) return [...causes, notSupported(`${path}.scope`, scope, PARAMETER_SCOPES)];
  const ns = pIn.namespace;
  if (scope === 'Namespace') {
    if (typeof ns !== 'string') causes.push(required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else for (const m of nameIsDNSLabel(ns, false)) causes.push(invalid(`${path}.namespace`, ns, m));
  } else if (ns !== undefined && ns !== null) {
    causes.push(forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return causes;
}

export function validateIngressClass(ic: KObject): Cause[] {
  const spec = obj(ic.spec);
  const causes: Cause[] = [];
  const controller = str(spec.controller);
  if (!controller) causes.push(required('spec.controller'));
  else {
    if (controller.length > MAX_CONTROLLER_LENGTH) causes.push(tooLong('spec.controller', MAX_CONTROLLER_LENGTH));
    for (const [value, m] of domainPrefixedPathProblems(controller)) causes.push(invalid('spec.controller', value, m));
  }
  return [...causes, ...validateParameters(spec.parameters, 'spec.parameters')];
}

export function validateIngressClassUpdate(next: KObject, prev: KObject): Cause[] {
  const controller = str(obj(next.spec).controller);
  return controller !== str(obj(prev.spec).controller) ? [immutable('spec.controller', controller)] : [];
}
