// A JSON reader that keeps every number as its source text. T-API sends amounts as JSON numbers in
// roubles, and JSON.parse would pass them through a double (Node 20 has no source-text access), so
// 12345678901234.56789 would come back altered. Pure.

/** A JSON number exactly as written, e.g. `45089.1`, `-0.5`, `1.2e3`. */
export class JsonNumber {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Where a text stops being JSON; the offset helps find it in a captured body. */
export class JsonSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON.parse decodes a string token exactly; this only finds where the token ends.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const CONTROL = /[\u0000-\u001f]/;
const MAX_DEPTH = 256;

/** Parses JSON text like JSON.parse, but numbers become JsonNumber. */
export function readJson(text: string): JsonValue {
  let at = 0;

  const skipSpace = () => {
    while (at < text.length) {
      const char = text.charCodeAt(at);
      if (char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) break;
      at += 1;
    }
  };

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, at);
  };

  const readString = (): string => {
    // Fast path: most strings have no escapes, so the text between the quotes is the value.
    const end = text.indexOf('"', at + 1);
    if (end === -1) fail('Unterminated string');
    const raw = text.slice(at + 1, end);
    if (!raw.includes('\\')) {
      if (CONTROL.test(raw)) fail('Control character in string');
      at = end + 1;
      return raw;
    }
    STRING.lastIndex = at;
    const match = STRING.exec(text);
    if (!match) fail('Malformed string');
    at = STRING.lastIndex;
    return JSON.parse(match![0]) as string;
  };

  const readValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('Nested too deeply');
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at += 1;
      // A plain literal stays in V8's fast mode (Object.create(null) does not); __proto__ is defined as data below.
      const object: JsonObject = {};
      skipSpace();
      if (text[at] === '}') {
        at += 1;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail('Expected a property name');
        const key = readString();
        skipSpace();
        if (text[at] !== ':') fail("Expected ':'");
        at += 1;
        const value = readValue(depth + 1);
        if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        else object[key] = value;
        skipSpace();
        if (text[at] === ',') {
          at += 1;
          continue;
        }
        if (text[at] === '}') {
          at += 1;
          return object;
        }
        fail("Expected ',' or '}'");
      }
    }
    if (char === '[') {
      at += 1;
      const array: JsonValue[] = [];
      skipSpace();
      if (text[at] === ']') {
        at += 1;
        return array;
      }
      for (;;) {
        array.push(readValue(depth + 1));
        skipSpace();
        if (text[at] === ',') {
          at += 1;
          continue;
        }
        if (text[at] === ']') {
          at += 1;
          return array;
        }
        fail("Expected ',' or ']'");
      }
    }
    if (char === '"') return readString();
    if (text.startsWith('true', at)) {
      at += 4;
      return true;
    }
    if (text.startsWith('false', at)) {
      at += 5;
      return false;
    }
    if (text.startsWith('null', at)) {
      at += 4;
      return null;
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (!number) return fail('Unexpected character');
    at = NUMBER.lastIndex;
    return new JsonNumber(number[0]);
  };

  // A UTF-8 byte-order mark is not JSON, but some gateways send one.
  if (text.charCodeAt(0) === 0xfeff) at = 1;
  const value = readValue(0);
  skipSpace();
  if (at !== text.length) fail('Unexpected text after the JSON value');
  return value;
}

const JSON_NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A JSON number's exact value as a plain decimal string (`1.5e2` → `150`, `-0.0` → `0`); no rounding. */
export function jsonNumberToDecimal(text: string): string {
  const match = JSON_NUMBER.exec(text);
  if (!match) throw new RangeError(`Not a JSON number: ${JSON.stringify(text)}.`);
  const [, sign, whole, fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  // Amounts never need this; a huge exponent would only build a huge string.
  if (Math.abs(exponent) > 64) throw new RangeError(`Exponent out of range: ${JSON.stringify(text)}.`);
  let digits = `${whole}${fraction}`;
  let point = whole!.length + exponent;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits.padEnd(point, '0');
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const decimals = digits.slice(point).replace(/0+$/, '');
  const magnitude = decimals ? `${integer}.${decimals}` : integer;
  return sign && /[1-9]/.test(magnitude) ? `-${magnitude}` : magnitude;
}
