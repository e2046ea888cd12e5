// The protobuf messages the server decodes, by field number, as Kubernetes' generated.proto numbers them:
// the table is data (schema.generated.json, made by scripts/gen-protobuf-schema.ts from k8s.io/api and
// k8s.io/apimachinery), so accepting another kind is a regeneration, not code.
// Type codes: s string, i integer, b bool, y bytes (base64 in JSON), t Time, T MicroTime, D Duration,
// q Quantity, x IntOrString, r raw JSON (RawExtension, FieldsV1), l a list of strings (ExtraValue), m:Name message.
// Suffixes: [] repeated, * a zero value is kept (a Go pointer, or a field JSON writes even when zero);
// `{code}` is a map of string keys to values of that type.
// A field named with a leading '^' is embedded inline (Go struct embedding: its fields join the parent).
import generated from './schema.generated.json';

export type FieldSpec = [json: string, type: string];
export type MessageSpec = Record<string, FieldSpec>;

export interface ProtobufSchemaFile {
  /** The Kubernetes release the table was generated from. */
  source: string;
  /** Root message of each apiVersion/kind. */
  roots: Record<string, string>;
  messages: Record<string, MessageSpec>;
}

// JSON imports type tuples as string arrays: the generator wrote exactly ProtobufSchemaFile.
const schema = generated as unknown as ProtobufSchemaFile;

export const MESSAGES: Readonly<Record<string, MessageSpec>> = schema.messages;

/** Root messages by apiVersion/kind. */
export const ROOTS: Readonly<Record<string, string>> = schema.roots;

/** The runtime.Unknown envelope every Kubernetes protobuf body is wrapped in. */
export const ENVELOPE = 'runtime.Unknown';
