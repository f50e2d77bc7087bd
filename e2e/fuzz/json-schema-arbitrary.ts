// fast-check arbitraries from the JSON Schemas in /api/openapi.json: values a schema accepts, and
// values made to break it (wrong types, missing fields, hostile text).
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/** Text that broke handlers before: NUL, lone surrogates, encodings, huge, control characters. */
export const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '%C0%AE',
  '%',
  '../../etc/passwd',
  '2025-13-45',
  '2025-02-30',
  '9999-99-99T99:99:99Z',
  '<script>alert(1)</script>',
  '=HYPERLINK("x")',
  "'; drop table users; --",
  'é'.repeat(300),
  'x'.repeat(5000),
  '\u202e\u0007\u001b[31m',
  '-1',
  'NaN',
  '1e309',
  'null',
];

const SIMPLE_FORMATS: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid(),
  email: fc.emailAddress(),
  date: fc.date({ min: new Date('2015-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  'date-time': fc.date({ min: new Date('2015-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
};

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  return [];
}

/** Values the schema accepts (as far as JSON Schema can say; zod refinements may still refuse). */
export function validArbitrary(schema: JsonSchema, pool: (schema: JsonSchema) => string[] = () => []): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union?.length) return fc.oneof(...union.map((part) => validArbitrary(part, pool)));
  if (schema.allOf?.length) return validArbitrary(Object.assign({}, ...schema.allOf), pool);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validArbitrary({ ...schema, type }, pool)));
  switch (types[0]) {
    case 'string': {
      const known = pool(schema);
      const generated: fc.Arbitrary<string> =
        (schema.format ? SIMPLE_FORMATS[schema.format] : undefined) ??
        (schema.pattern ? fc.stringMatching(new RegExp(schema.pattern)) : fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 200) }));
      return known.length ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: generated, weight: 1 }) : generated;
    }
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? schema.exclusiveMinimum ?? -1000), max: Math.floor(schema.maximum ?? schema.exclusiveMaximum ?? 1_000_000) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validArbitrary(schema.items ?? {}, pool), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 6) });
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const entries = Object.fromEntries(Object.entries(properties).map(([key, part]) => [key, validArbitrary(part, pool)]));
      return fc.record(entries, { requiredKeys: Object.keys(properties).filter((key) => required.has(key)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values made to be refused: hostile text, wrong types, a required field dropped, junk JSON. */
export function invalidArbitrary(schema: JsonSchema, pool: (schema: JsonSchema) => string[] = () => []): fc.Arbitrary<unknown> {
  const hostile = fc.constantFrom(...HOSTILE_TEXT);
  const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 2 }));
  if (typesOf(schema)[0] !== 'object' || !schema.properties) return fc.oneof(hostile, wrongType, fc.jsonValue({ maxDepth: 2 }));
  const properties = Object.keys(schema.properties);
  const valid = validArbitrary(schema, pool) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof(
    // One field replaced by hostile text or a wrong type.
    fc.tuple(valid, fc.constantFrom(...properties), fc.oneof(hostile, wrongType)).map(([value, key, bad]) => ({ ...value, [key]: bad })),
    // A required field dropped.
    fc.tuple(valid, fc.constantFrom(...(schema.required?.length ? schema.required : properties))).map(([value, key]) => {
      const copy = { ...value };
      delete copy[key];
      return copy;
    }),
    // Unknown fields and junk.
    valid.map((value) => ({ ...value, ['__proto__']: { polluted: true }, constructor: 'x' })),
    wrongType,
    fc.jsonValue({ maxDepth: 3 }),
  );
}
