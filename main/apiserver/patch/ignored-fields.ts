// Fields server-side apply never tracks: type and object metadata the server owns (stripped from
// every manager's set), and the fields a request cannot change (status when writing the main
// resource, spec when writing the status subresource).
import { FieldSet, field } from './fieldpath';

const META = field('metadata');

/** Removed (as members) from the set of the manager that just wrote. */
export const STRIPPED: FieldSet = FieldSet.of(
  [field('apiVersion')], [field('kind')], [META],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((f) => [META, field(f)]),
);

/** Paths (and everything below them) that a write through `subresource` neither changes nor owns. */
export function ignoredFields(subresource: string | undefined): FieldSet {
  if (subresource === 'status') return FieldSet.of([field('spec')]);
  if (subresource === undefined || subresource === '') return FieldSet.of([field('status')]);
  return new FieldSet();
}
