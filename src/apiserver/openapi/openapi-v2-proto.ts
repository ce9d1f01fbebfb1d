// Encodes the Swagger 2.0 spec as gnostic's openapi_v2.Document protobuf, the only form
// kubectl <= 1.28 accepts from /openapi/v2 (its client sends Accept: ...protobuf and
// proto-decodes the body; a JSON answer or a 406 makes every validating command fail).
// Field numbers are those of gnostic's OpenAPIv2.proto. Vendor extensions, enums and defaults
// travel as Any{yaml}; JSON text is valid YAML, so values are written as JSON.
import { ProtoWriter } from './protobuf-writer.js';

type Json = { [key: string]: unknown };

function anyValue(w: ProtoWriter, field: number, value: unknown): void {
  w.message(field, (any) => any.string(2, JSON.stringify(value) + '\n'));
}

function vendorExtensions(w: ProtoWriter, field: number, object: Json): void {
  for (const [key, value] of Object.entries(object)) {
    if (!key.startsWith('x-')) continue;
    w.message(field, (named) => {
      named.string(1, key);
      anyValue(named, 2, value);
    });
  }
}

export function writeSchema(w: ProtoWriter, s: Json): void {
  w.string(1, s.$ref).string(2, s.format).string(3, s.title).string(4, s.description);
  if (s.default !== undefined) anyValue(w, 5, s.default);
  w.double(6, s.multipleOf).double(7, s.maximum).bool(8, s.exclusiveMaximum).double(9, s.minimum).bool(10, s.exclusiveMinimum);
  w.int64(11, s.maxLength).int64(12, s.minLength).string(13, s.pattern).int64(14, s.maxItems).int64(15, s.minItems);
  w.bool(16, s.uniqueItems).int64(17, s.maxProperties).int64(18, s.minProperties).strings(19, s.required);
  if (Array.isArray(s.enum)) for (const value of s.enum) anyValue(w, 20, value);
  const additional = s.additionalProperties;
  if (typeof additional === 'boolean') w.message(21, (item) => item.bool(2, additional));
  else if (additional && typeof additional === 'object') w.message(21, (item) => item.message(1, (inner) => writeSchema(inner, additional as Json)));
  if (typeof s.type === 'string') w.message(22, (type) => type.string(1, s.type));
  const items = s.items;
  if (items && typeof items === 'object') {
    const list = Array.isArray(items) ? items : [items];
    w.message(23, (item) => list.forEach((schema) => item.message(1, (inner) => writeSchema(inner, schema as Json))));
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) w.message(24, (inner) => writeSchema(inner, sub as Json));
  const properties = s.properties as Record<string, Json> | undefined;
  if (properties) {
    w.message(25, (props) => {
      for (const [name, schema] of Object.entries(properties)) {
        props.message(1, (named) => named.string(1, name).message(2, (inner) => writeSchema(inner, schema)));
      }
    });
  }
  w.bool(27, s.readOnly);
  vendorExtensions(w, 31, s);
}

function writeParameter(w: ProtoWriter, p: Json): void {
  // ParametersItem{ parameter = 1 { body_parameter = 1 | non_body_parameter = 2 } }
  w.message(1, (parameter) => {
    if (p.in === 'body') {
      parameter.message(1, (body) => {
        body.string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required);
        body.message(5, (schema) => writeSchema(schema, (p.schema ?? {}) as Json));
      });
      return;
    }
    parameter.message(2, (nonBody) => {
      if (p.in === 'path') {
        nonBody.message(4, (sub) => {
          sub.bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name).string(5, p.type).string(6, p.format);
          sub.bool(19, p.uniqueItems);
        });
      } else {
        nonBody.message(3, (sub) => {
          sub.bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name).string(6, p.type).string(7, p.format);
          sub.bool(20, p.uniqueItems);
        });
      }
    });
  });
}

function writeOperation(w: ProtoWriter, op: Json): void {
  w.strings(1, op.tags).string(3, op.description).string(5, op.operationId).strings(6, op.produces).strings(7, op.consumes);
  for (const p of (op.parameters as Json[] | undefined) ?? []) w.message(8, (item) => writeParameter(item, p));
  w.message(9, (responses) => {
    for (const [code, response] of Object.entries((op.responses as Record<string, Json>) ?? {})) {
      responses.message(1, (named) =>
        named.string(1, code).message(2, (value) =>
          value.message(1, (r) => {
            r.string(1, response.description);
            if (response.schema) r.message(2, (item) => item.message(1, (schema) => writeSchema(schema, response.schema as Json)));
          }),
        ),
      );
    }
  });
  w.strings(10, op.schemes);
  vendorExtensions(w, 13, op);
}

const METHOD_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** gnostic openapi_v2.Document bytes for a Swagger 2.0 spec object. */
export function encodeSwaggerDocument(spec: Json): Buffer {
  const w = new ProtoWriter();
  w.string(1, spec.swagger);
  const info = spec.info as Json;
  w.message(2, (i) => i.string(1, info.title).string(2, info.version));
  w.message(8, (paths) => {
    for (const [path, item] of Object.entries(spec.paths as Record<string, Json>)) {
      paths.message(2, (named) =>
        named.string(1, path).message(2, (pathItem) => {
          for (const [method, field] of Object.entries(METHOD_FIELDS)) {
            const op = item[method] as Json | undefined;
            if (op) pathItem.message(field, (o) => writeOperation(o, op));
          }
          for (const p of (item.parameters as Json[] | undefined) ?? []) pathItem.message(9, (pi) => writeParameter(pi, p));
        }),
      );
    }
  });
  w.message(9, (definitions) => {
    for (const [name, schema] of Object.entries(spec.definitions as Record<string, Json>)) {
      definitions.message(1, (named) => named.string(1, name).message(2, (inner) => writeSchema(inner, schema)));
    }
  });
  w.message(12, (requirement) =>
    requirement.message(1, (named) => named.string(1, 'BearerToken').message(2, () => undefined)),
  );
  w.message(13, (defs) =>
    defs.message(1, (named) =>
      named.string(1, 'BearerToken').message(2, (item) =>
        item.message(2, (apiKey) => apiKey.string(1, 'apiKey').string(2, 'authorization').string(3, 'header').string(4, 'Bearer Token authentication')),
      ),
    ),
  );
  return w.finish();
}
