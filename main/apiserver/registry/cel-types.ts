// The typed values of Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel: net.IP, net.CIDR, kubernetes.Quantity,
// kubernetes.URL, kubernetes.NamedFormat) and cel-go's optional_type, for @bufbuild/cel, whose only typed values
// are protobuf messages: each is a message type made at start-up from a descriptor of its own. A message's fields
// are what CEL's `==` compares (so they hold what the Go type's Equal compares: an IP's bytes, a quantity's exact
// value, a URL's String()); what the functions need besides (a quantity's Go representation, a URL's parts, an
// optional's value) rides with the message object, out of CEL's sight.
import { create, createFileRegistry, createRegistry, type DescMessage, type Registry } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { isReflectMessage, reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import { celEnv, objectType, parse, plan, type CelObjectType, type CelValue } from '@bufbuild/cel';

type FieldType = 'bytes' | 'string' | 'int32' | 'bool';
const PROTO_TYPES: Record<FieldType, FieldDescriptorProto_Type> = {
  bytes: FieldDescriptorProto_Type.BYTES,
  string: FieldDescriptorProto_Type.STRING,
  int32: FieldDescriptorProto_Type.INT32,
  bool: FieldDescriptorProto_Type.BOOL,
};

/** One proto3 message type `pkg.name` with the given scalar fields. */
function messageDesc(pkg: string, name: string, fields: Record<string, FieldType>): DescMessage {
  const file = create(FileDescriptorProtoSchema, {
    name: `flotilla/cel/${pkg || 'root'}/${name}.proto`,
    package: pkg,
    syntax: 'proto3',
    messageType: [{
      name,
      field: Object.entries(fields).map(([field, type], i) => ({
        name: field, jsonName: field, number: i + 1, type: PROTO_TYPES[type], label: FieldDescriptorProto_Label.OPTIONAL,
      })),
    }],
  });
  const desc = createFileRegistry(file, () => undefined).getMessage(pkg ? `${pkg}.${name}` : name);
  if (!desc) throw new Error(`CEL type ${name} was not made`);
  return desc;
}

const made: DescMessage[] = [];

/** The types made so far, for an environment's registry (so an expression can name them: `type(x) == net.IP`). */
export function celTypesRegistry(): Registry {
  return createRegistry(...made);
}

/** A typed CEL value: its message fields (compared by `==`) and what else its functions need. */
export class CelOpaque<F extends Record<string, unknown>, D> {
  readonly type: CelObjectType;
  private readonly desc: DescMessage;
  private readonly side = new WeakMap<object, D>();

  constructor(pkg: string, name: string, fields: { [K in keyof F]: FieldType }) {
    this.desc = messageDesc(pkg, name, fields);
    this.type = objectType(this.desc);
    made.push(this.desc);
  }

  of(fields: F, data: D): ReflectMessage {
    const message = create(this.desc, fields as never);
    this.side.set(message, data);
    return reflect(this.desc, message);
  }

  /** The value's data, or undefined when `v` is not of this type. */
  data(v: unknown): D | undefined {
    if (!isReflectMessage(v) || v.desc.typeName !== this.desc.typeName) return undefined;
    return this.side.get(v.message);
  }

  /** The value's data; a CEL `no such overload` when `v` is another type's. */
  must(v: unknown): D {
    const d = this.data(v);
    if (d === undefined) throw new Error('no such overload');
    return d;
  }
}

const EQUALS = plan(celEnv(), parse('a == b'));

/** CEL's `==` of two values (heterogeneous numbers equal by value, lists and maps by their elements). */
export function celEquals(a: CelValue, b: CelValue): boolean {
  return EQUALS({ a, b }) === true;
}
