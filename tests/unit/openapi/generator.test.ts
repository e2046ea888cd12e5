// The OpenAPI generator's reading of Kubernetes' sources (scripts/k8s-sources.ts, scripts/openapi-definitions.ts):
// kube-openapi's description rules, and a small package in Kubernetes' layout (types.go + generated.proto) turned
// into definitions — TypeMeta and inline members flattened, required from +optional/omitempty, extensions from
// comment and struct tags, enums from +enum constants, v3 defaults, and a clear error for a message without a struct.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { K8sPackage } from '../../../scripts/k8s-sources';
import { parseGoPackage, parseProto } from '../../../scripts/k8s-sources';
import { DefinitionBuilder, fmtRawDoc, sourcesFrom } from '../../../scripts/openapi-definitions';

describe('fmtRawDoc', () => {
  it('joins lines, keeps paragraphs and indented blocks, drops tags, TODOs and everything after ---', () => {
    expect(fmtRawDoc(['Name of the thing.', 'More words.', '+optional'])).toBe('Name of the thing. More words.');
    expect(fmtRawDoc(['First.', '', 'Second.'])).toBe('First.\n\nSecond.');
    expect(fmtRawDoc(['Example:', '  a: 1', 'done'])).toBe('Example:\n  a: 1\ndone');
    expect(fmtRawDoc(['Kept.', 'TODO: not this', 'Also kept.'])).toBe('Kept. Also kept.');
    expect(fmtRawDoc(['Public.', '---', 'Internal notes.'])).toBe('Public.');
  });
});

const GO = `package v1

// Widget is a test kind.
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Widget struct {
\tmetav1.TypeMeta \`json:",inline"\`
\t// Standard object's metadata.
\t// +optional
\tMetadata string \`json:"metadata,omitempty" protobuf:"bytes,1,opt,name=metadata"\`

\t// Parts of the widget.
\t// +listType=map
\t// +listMapKey=name
\t// +patchMergeKey=name
\t// +patchStrategy=merge
\tParts []Part \`json:"parts" patchStrategy:"merge" patchMergeKey:"name" protobuf:"bytes,2,rep,name=parts"\`

\t// Mode of the widget.
\tMode *Mode \`json:"mode,omitempty" protobuf:"bytes,3,opt,name=mode,casttype=Mode"\`

\tSource \`json:",inline" protobuf:"bytes,4,opt,name=source"\`
}

// Part is a part.
// +structType=atomic
type Part struct {
\t// Name of the part.
\tName string \`json:"name" protobuf:"bytes,1,opt,name=name"\`
}

// Source is where a widget comes from.
type Source struct {
\t// Path on the host.
\t// +optional
\tPath string \`json:"path,omitempty" protobuf:"bytes,1,opt,name=path"\`
}

// +enum
type Mode string

const (
\t// ModeFast goes fast.
\tModeFast Mode = "Fast"
\t// ModeSlow goes
\t// slowly.
\tModeSlow Mode = "Slow"
)

type Orphan struct{}
`;

const PROTO = `syntax = "proto2";
package k8s.io.api.widgets.v1;
message Widget {
  optional string metadata = 1;
  repeated Part parts = 2;
  optional string mode = 3;
  optional Source source = 4;
}
message Part {
  optional string name = 1;
}
message Source {
  optional string path = 1;
}
message Lonely {
  optional string name = 1;
}
`;

const META_GO = `package v1

// TypeMeta describes an individual object.
type TypeMeta struct {
\t// Kind is a string value representing the REST resource this object represents.
\t// +optional
\tKind string \`json:"kind,omitempty" protobuf:"bytes,1,opt,name=kind"\`

\t// APIVersion defines the versioned schema of this representation of an object.
\t// +optional
\tAPIVersion string \`json:"apiVersion,omitempty" protobuf:"bytes,2,opt,name=apiVersion"\`
}
`;
const META_PROTO = 'package k8s.io.apimachinery.pkg.apis.meta.v1;\nmessage TypeMeta {\n  optional string kind = 1;\n  optional string apiVersion = 2;\n}\n';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function builder(): DefinitionBuilder {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-openapi-gen-'));
  const write = (sub: string, go: string, proto: string): string => {
    fs.mkdirSync(path.join(dir!, sub), { recursive: true });
    fs.writeFileSync(path.join(dir!, sub, 'types.go'), go);
    fs.writeFileSync(path.join(dir!, sub, 'generated.proto'), proto);
    return path.join(dir!, sub);
  };
  const packages: Record<string, K8sPackage> = {
    'k8s.io.api.widgets.v1': { prefix: 'widgets/v1', dir: write('widgets', GO, PROTO), goFiles: ['types.go'], openapi: 'io.k8s.api.widgets.v1' },
    'k8s.io.apimachinery.pkg.apis.meta.v1': { prefix: 'meta/v1', dir: write('meta', META_GO, META_PROTO), goFiles: ['types.go'], openapi: 'io.k8s.apimachinery.pkg.apis.meta.v1' },
  };
  return new DefinitionBuilder(sourcesFrom(packages, (pkg) => parseProto(packages, pkg), parseGoPackage));
}

describe('DefinitionBuilder', () => {
  it('builds a kind the way openapi-gen does', () => {
    const b = builder();
    expect(b.add('widgets/v1.Widget')).toBe('io.k8s.api.widgets.v1.Widget');
    const w = b.definitions['io.k8s.api.widgets.v1.Widget'];
    expect(w.description).toBe('Widget is a test kind.');
    expect(w.required).toEqual(['parts']);
    expect(Object.keys(w.properties!)).toEqual(['apiVersion', 'kind', 'metadata', 'mode', 'parts', 'path']);
    expect(w.properties!.parts).toEqual({
      description: 'Parts of the widget.', type: 'array', items: { $ref: 'io.k8s.api.widgets.v1.Part', default: {} },
      'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge',
    });
    expect(w.properties!.mode).toEqual({
      description: 'Mode of the widget.\n\nPossible enum values:\n - `"Fast"` goes fast.\n - `"Slow"` goes slowly.', enum: ['Fast', 'Slow'], type: 'string',
    });
    expect(w.properties!.path).toEqual({ description: 'Path on the host.', type: 'string' });
    expect(w.properties!.kind.description).toBe('Kind is a string value representing the REST resource this object represents.');
    expect(b.definitions['io.k8s.api.widgets.v1.Part']).toEqual({
      description: 'Part is a part.', type: 'object', required: ['name'],
      properties: { name: { default: '', description: 'Name of the part.', type: 'string' } }, 'x-kubernetes-map-type': 'atomic',
    });
    expect(b.definitions['io.k8s.api.widgets.v1.Source']).toBeUndefined();
  });

  it('names a message without a Go struct', () => {
    expect(() => builder().add('widgets/v1.Lonely')).toThrow('no Go struct for widgets/v1.Lonely');
  });
});
