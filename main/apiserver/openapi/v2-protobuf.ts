// /openapi/v2 in protobuf (gnostic's openapi.v2.Document), as kube-apiserver serves it to a client that accepts only
// `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`: kubectl asks for it when it validates an object on
// the client, which it does for kinds the v3 documents give no PATCH for (TokenReview, SubjectAccessReview, …).
// Values that are not typed fields — defaults, enums, examples, vendor extensions — travel as gnostic's Any with
// their YAML text, which JSON is.
import { parse, type Type } from 'protobufjs';

// The part of gnostic's OpenAPIv2.proto a Kubernetes document uses (its field numbers).
const PROTO = `
syntax = "proto3";
package openapi.v2;
message Any { string yaml = 2; }
message NamedAny { string name = 1; Any value = 2; }
message Info { string title = 1; string version = 2; string description = 3; repeated NamedAny vendor_extension = 7; }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message Properties { repeated NamedSchema additional_properties = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message Schema {
  string _ref = 1; string format = 2; string title = 3; string description = 4; Any default = 5; double multiple_of = 6;
  double maximum = 7; bool exclusive_maximum = 8; double minimum = 9; bool exclusive_minimum = 10; int64 max_length = 11;
  int64 min_length = 12; string pattern = 13; int64 max_items = 14; int64 min_items = 15; bool unique_items = 16;
  int64 max_properties = 17; int64 min_properties = 18; repeated string required = 19; repeated Any enum = 20;
  AdditionalPropertiesItem additional_properties = 21; TypeItem type = 22; ItemsItem items = 23; repeated Schema all_of = 24;
  Properties properties = 25; string discriminator = 26; bool read_only = 27; Any example = 30; repeated NamedAny vendor_extension = 31;
}
message Definitions { repeated NamedSchema additional_properties = 1; }
message PrimitivesItems { string type = 1; string format = 2; PrimitivesItems items = 3; string collection_format = 4; Any default = 5; }
message NonBodyFields {
  bool required = 1; string in = 2; string description = 3; string name = 4; bool allow_empty_value = 5; string type = 6; string format = 7;
  PrimitivesItems items = 8; string collection_format = 9; Any default = 10; bool unique_items = 20; repeated Any enum = 21;
}
message PathParameterFields {
  bool required = 1; string in = 2; string description = 3; string name = 4; string type = 5; string format = 6;
  PrimitivesItems items = 7; string collection_format = 8; Any default = 9; bool unique_items = 19; repeated Any enum = 20;
}
message NonBodyParameter { oneof oneof { PathParameterFields header_parameter_sub_schema = 1; NonBodyFields form_data_parameter_sub_schema = 2;
  NonBodyFields query_parameter_sub_schema = 3; PathParameterFields path_parameter_sub_schema = 4; } }
message BodyParameter { string description = 1; string name = 2; string in = 3; bool required = 4; Schema schema = 5; }
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
message JsonReference { string _ref = 1; string description = 2; }
message ParametersItem { oneof oneof { Parameter parameter = 1; JsonReference json_reference = 2; } }
message SchemaItem { oneof oneof { Schema schema = 1; } }
message Response { string description = 1; SchemaItem schema = 2; }
message ResponseValue { oneof oneof { Response response = 1; JsonReference json_reference = 2; } }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message Responses { repeated NamedResponseValue response_code = 1; }
message Operation {
  repeated string tags = 1; string summary = 2; string description = 3; string operation_id = 5; repeated string produces = 6;
  repeated string consumes = 7; repeated ParametersItem parameters = 8; Responses responses = 9; repeated string schemes = 10;
  bool deprecated = 11; repeated NamedAny vendor_extension = 13;
}
message PathItem {
  string _ref = 1; Operation get = 2; Operation put = 3; Operation post = 4; Operation delete = 5; Operation options = 6; Operation head = 7;
  Operation patch = 8; repeated ParametersItem parameters = 9;
}
message NamedPathItem { string name = 1; PathItem value = 2; }
message Paths { repeated NamedPathItem path = 2; }
message StringArray { repeated string value = 1; }
message NamedStringArray { string name = 1; StringArray value = 2; }
message SecurityRequirement { repeated NamedStringArray additional_properties = 1; }
message ApiKeySecurity { string type = 1; string name = 2; string in = 3; string description = 4; }
message SecurityDefinitionsItem { oneof oneof { ApiKeySecurity api_key_security = 2; } }
message NamedSecurityDefinitionsItem { string name = 1; SecurityDefinitionsItem value = 2; }
message SecurityDefinitions { repeated NamedSecurityDefinitionsItem additional_properties = 1; }
message Document {
  string swagger = 1; Info info = 2; repeated string consumes = 6; repeated string produces = 7; Paths paths = 8; Definitions definitions = 9;
  repeated SecurityRequirement security = 12; SecurityDefinitions security_definitions = 13;
}
`;

type Json = Record<string, unknown>;
type Msg = Record<string, unknown>;

let documentType: Type | undefined;

const anyOf = (v: unknown): Msg => ({ yaml: JSON.stringify(v) });
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const extensions = (o: Json): Msg[] => Object.keys(o).filter((k) => k.startsWith('x-')).map((k) => ({ name: k, value: anyOf(o[k]) }));

/** Copies the fields `names` (JSON name → proto name) that are present. */
function pick(o: Json, names: Record<string, string>): Msg {
  const out: Msg = {};
  for (const [json, proto] of Object.entries(names)) if (o[json] !== undefined) out[proto] = o[json];
  return out;
}

const SCHEMA_SCALARS = {
  $ref: '_ref', format: 'format', title: 'title', description: 'description', multipleOf: 'multiple_of', maximum: 'maximum',
  exclusiveMaximum: 'exclusive_maximum', minimum: 'minimum', exclusiveMinimum: 'exclusive_minimum', maxLength: 'max_length',
  minLength: 'min_length', pattern: 'pattern', maxItems: 'max_items', minItems: 'min_items', uniqueItems: 'unique_items',
  maxProperties: 'max_properties', minProperties: 'min_properties', required: 'required', discriminator: 'discriminator', readOnly: 'read_only',
};

function schema(v: unknown): Msg {
  const s = obj(v);
  const out: Msg = { ...pick(s, SCHEMA_SCALARS), vendor_extension: extensions(s) };
  if (s.default !== undefined) out.default = anyOf(s.default);
  if (s.example !== undefined) out.example = anyOf(s.example);
  if (Array.isArray(s.enum)) out.enum = s.enum.map(anyOf);
  if (s.type !== undefined) out.type = { value: Array.isArray(s.type) ? s.type : [s.type] };
  if (s.items !== undefined) out.items = { schema: (Array.isArray(s.items) ? s.items : [s.items]).map(schema) };
  if (Array.isArray(s.allOf)) out.all_of = s.allOf.map(schema);
  if (s.properties !== undefined) {
    out.properties = { additional_properties: Object.entries(obj(s.properties)).map(([name, p]) => ({ name, value: schema(p) })) };
  }
  if (typeof s.additionalProperties === 'boolean') out.additional_properties = { boolean: s.additionalProperties };
  else if (s.additionalProperties !== undefined) out.additional_properties = { schema: schema(s.additionalProperties) };
  return out;
}

const NON_BODY = {
  required: 'required', in: 'in', description: 'description', name: 'name', allowEmptyValue: 'allow_empty_value', type: 'type',
  format: 'format', collectionFormat: 'collection_format', uniqueItems: 'unique_items',
};
const SUB_SCHEMA: Record<string, string> = {
  header: 'header_parameter_sub_schema', formData: 'form_data_parameter_sub_schema', query: 'query_parameter_sub_schema', path: 'path_parameter_sub_schema',
};

function primitives(v: unknown): Msg {
  const p = obj(v);
  return { ...pick(p, { type: 'type', format: 'format', collectionFormat: 'collection_format' }), ...(p.items ? { items: primitives(p.items) } : {}) };
}

function parameter(v: unknown): Msg {
  const p = obj(v);
  if (typeof p.$ref === 'string') return { json_reference: { _ref: p.$ref } };
  if (p.in === 'body') {
    return { parameter: { body_parameter: { ...pick(p, { description: 'description', name: 'name', in: 'in', required: 'required' }), schema: schema(p.schema) } } };
  }
  const fields: Msg = { ...pick(p, NON_BODY) };
  if (p.default !== undefined) fields.default = anyOf(p.default);
  if (Array.isArray(p.enum)) fields.enum = p.enum.map(anyOf);
  if (p.items !== undefined) fields.items = primitives(p.items);
  return { parameter: { non_body_parameter: { [SUB_SCHEMA[String(p.in)] ?? 'query_parameter_sub_schema']: fields } } };
}

function operation(v: unknown): Msg {
  const o = obj(v);
  const responses = Object.entries(obj(o.responses)).map(([name, r]) => {
    const resp = obj(r);
    return { name, value: { response: { description: resp.description ?? '', ...(resp.schema ? { schema: { schema: schema(resp.schema) } } : {}) } } };
  });
  return {
    ...pick(o, { tags: 'tags', summary: 'summary', description: 'description', operationId: 'operation_id', produces: 'produces', consumes: 'consumes', schemes: 'schemes', deprecated: 'deprecated' }),
    parameters: Array.isArray(o.parameters) ? o.parameters.map(parameter) : [], responses: { response_code: responses }, vendor_extension: extensions(o),
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function pathItem(v: unknown): Msg {
  const p = obj(v);
  const out: Msg = { parameters: Array.isArray(p.parameters) ? p.parameters.map(parameter) : [] };
  for (const m of METHODS) if (p[m]) out[m] = operation(p[m]);
  return out;
}

/** The Swagger 2.0 document (as JSON text) in gnostic's protobuf encoding. */
export function openapiV2Protobuf(json: string): Buffer {
  documentType ??= parse(PROTO, { keepCase: true }).root.lookupType('openapi.v2.Document');
  const d = JSON.parse(json) as Json;
  const message = {
    swagger: d.swagger, info: pick(obj(d.info), { title: 'title', version: 'version', description: 'description' }),
    paths: { path: Object.entries(obj(d.paths)).map(([name, item]) => ({ name, value: pathItem(item) })) },
    definitions: { additional_properties: Object.entries(obj(d.definitions)).map(([name, s]) => ({ name, value: schema(s) })) },
    security: (Array.isArray(d.security) ? d.security : []).map((req) => ({
      additional_properties: Object.entries(obj(req)).map(([name, scopes]) => ({ name, value: { value: Array.isArray(scopes) ? scopes : [] } })),
    })),
    security_definitions: { additional_properties: Object.entries(obj(d.securityDefinitions)).map(([name, sd]) => ({
      name, value: { api_key_security: pick(obj(sd), { type: 'type', name: 'name', in: 'in', description: 'description' }) },
    })) },
  };
  return Buffer.from(documentType.encode(documentType.fromObject(message)).finish());
}
