// The objects an app from the catalog becomes: a Deployment and (when it listens) a Service.
import type { Deployment, Service } from '../api/types';
import type { DeployAppRequest } from './contract';

export const APP_LABEL = 'app.kubernetes.io/name';

/** Drops undefined fields: the in-process client takes objects as they are, not as JSON. */
function plain<T>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

export function deploymentFor(req: DeployAppRequest): Deployment {
  const labels = { [APP_LABEL]: req.name };
  return plain<Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: req.name, namespace: req.namespace ?? 'default', labels: { ...labels, 'app.kubernetes.io/managed-by': 'flotilla-ui' } },
    spec: {
      replicas: req.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{
            name: 'app',
            image: req.image,
            ports: req.port ? [{ containerPort: req.port, protocol: 'TCP' }] : undefined,
            env: req.env && req.env.length > 0 ? req.env.map((e) => ({ name: e.name, value: e.value })) : undefined,
          }],
          affinity: req.node
            ? {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [req.node] }] }],
                },
              },
            }
            : undefined,
        },
      },
    },
  });
}

export function serviceFor(req: DeployAppRequest): Service | undefined {
  if (!req.port || req.expose === 'None') return undefined;
  return plain<Service>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: req.name, namespace: req.namespace ?? 'default', labels: { [APP_LABEL]: req.name, 'app.kubernetes.io/managed-by': 'flotilla-ui' } },
    spec: {
      type: req.expose,
      selector: { [APP_LABEL]: req.name },
      ports: [{ name: 'http', port: req.port, targetPort: req.port, protocol: 'TCP' }],
    },
  });
}

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a request before anything is written; returns a message for the person, or undefined. */
export function checkDeployRequest(req: DeployAppRequest): string | undefined {
  if (!NAME_RE.test(req.name) || req.name.length > 63) return `"${req.name}" is not a valid name: use lower-case letters, digits and '-', starting and ending with a letter or digit (at most 63)`;
  if (!req.image.trim()) return 'an image is required';
  if (!Number.isInteger(req.replicas) || req.replicas < 0 || req.replicas > 1000) return 'replicas must be a whole number from 0 to 1000';
  if (req.port !== undefined && (!Number.isInteger(req.port) || req.port < 1 || req.port > 65535)) return 'the port must be from 1 to 65535';
  for (const e of req.env ?? []) if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) return `"${e.name}" is not a valid environment variable name`;
  return undefined;
}
