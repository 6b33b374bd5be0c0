/**
 * A JSON parser for untrusted headers. `JSON.parse` cannot be bounded: it builds the whole value before anything can
 * look at it (33 million empty objects in a 94 MB header cost 5 GB), it recurses (a deep array costs gigabytes before
 * it fails) and it keeps the last of two equal keys silently. This parser is iterative, counts every value and every
 * level of nesting as it goes and stops at the first one over a limit, and refuses duplicate keys.
 *
 * It accepts exactly RFC 8259 JSON (no BOM, no comments, no trailing commas) and builds the same values JSON.parse
 * would, with every key an own property (a key `__proto__` included).
 */

/** Why a text was refused; the caller turns it into its own error type. */
export class JsonLimitError extends Error {
  override readonly name = 'JsonLimitError';
  constructor(
    readonly kind: 'syntax' | 'duplicate-key' | 'too-many-nodes' | 'too-deep',
    message: string,
  ) {
    super(message);
  }
}

/** A node budget shared by several parses (the header and the state tree it carries count against one limit). */
export interface NodeBudget {
  /** Values that may still be parsed; every value (container, string, number, literal) costs 1. */
  remaining: number;
  readonly limit: number;
}

export interface JsonLimits {
  /** Containers nested deeper than this are refused; the outermost container is depth 1. */
  readonly maxDepth: number;
  readonly budget: NodeBudget;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

interface Frame {
  readonly container: JsonValue[] | Record<string, JsonValue>;
  /** The key whose value is being parsed, for objects. */
  key: string | undefined;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Where in the text, for messages: the position and a short, escaped excerpt. */
function at(text: string, position: number): string {
  const excerpt = JSON.stringify(text.slice(position, position + 16));
  return `at character ${position} (${excerpt})`;
}

/** Parses `text` as one JSON value within `limits`; throws JsonLimitError on anything else. */
export function parseJsonWithLimits(text: string, limits: JsonLimits): JsonValue {
  let i = 0;
  const n = text.length;
  const stack: Frame[] = [];
  const budget = limits.budget;
  let result: JsonValue | undefined;
  let haveResult = false;

  const syntax = (what: string): JsonLimitError => new JsonLimitError('syntax', `${what} ${at(text, i)}`);
  const skipWhitespace = (): void => {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
  };
  const count = (): void => {
    if (--budget.remaining < 0) {
      throw new JsonLimitError('too-many-nodes', `more than ${budget.limit} values`);
    }
  };

  const readString = (): string => {
    // i is at the opening quote.
    const start = i + 1;
    let j = start;
    let escaped = false;
    for (;;) {
      if (j >= n) {
        i = start - 1;
        throw syntax('unterminated string');
      }
      const c = text.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        j += 2;
        continue;
      }
      if (c < 0x20) {
        i = j;
        throw syntax('unescaped control character in a string');
      }
      j++;
    }
    i = j + 1;
    if (!escaped) return text.slice(start, j);
    try {
      // JSON.parse decodes (and validates) the escapes exactly. It gets a slice of the text, quotes included, rather
      // than a concatenation, which would copy a string that may be most of a 100 MB header.
      return JSON.parse(text.slice(start - 1, j + 1)) as string;
    } catch {
      i = start - 1;
      throw syntax('invalid escape in a string');
    }
  };

  /** Stores a finished value in the container on top of the stack (or as the result). */
  const store = (value: JsonValue): void => {
    const frame = stack[stack.length - 1];
    if (frame === undefined) {
      result = value;
      haveResult = true;
    } else if (Array.isArray(frame.container)) {
      frame.container.push(value);
    } else {
      const key = frame.key!;
      if (key === '__proto__') {
        Object.defineProperty(frame.container, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        frame.container[key] = value;
      }
      frame.key = undefined;
    }
  };

  const open = (container: JsonValue[] | Record<string, JsonValue>): void => {
    count();
    if (stack.length + 1 > limits.maxDepth) {
      throw new JsonLimitError('too-deep', `nested more than ${limits.maxDepth} levels deep`);
    }
    stack.push({ container, key: undefined });
  };

  /** After `{` or `,` inside an object: reads `"key":`; checks for a duplicate. */
  const readKey = (frame: Frame): void => {
    skipWhitespace();
    if (text.charCodeAt(i) !== 0x22) throw syntax('expected a string key');
    const key = readString();
    if (Object.prototype.hasOwnProperty.call(frame.container, key)) {
      throw new JsonLimitError('duplicate-key', `the key ${JSON.stringify(key.slice(0, 100))} appears twice in one object`);
    }
    skipWhitespace();
    if (text.charCodeAt(i) !== 0x3a) throw syntax('expected ":"');
    i++;
    frame.key = key;
  };

  // Each turn parses one value, then closes as many containers as end right after it.
  for (;;) {
    skipWhitespace();
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      i++;
      open({});
      skipWhitespace();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        store(stack.pop()!.container);
      } else {
        readKey(stack[stack.length - 1]!);
        continue;
      }
    } else if (c === 0x5b) {
      i++;
      open([]);
      skipWhitespace();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        store(stack.pop()!.container);
      } else {
        continue;
      }
    } else if (c === 0x22) {
      count();
      store(readString());
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (match === null) throw syntax('invalid number');
      count();
      i += match[0].length;
      store(Number(match[0]));
    } else if (text.startsWith('true', i)) {
      count();
      i += 4;
      store(true);
    } else if (text.startsWith('false', i)) {
      count();
      i += 5;
      store(false);
    } else if (text.startsWith('null', i)) {
      count();
      i += 4;
      store(null);
    } else {
      throw syntax(i >= n ? 'unexpected end of text' : 'unexpected character');
    }

    // Close containers or move to the next member.
    for (;;) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) {
        skipWhitespace();
        if (i < n) throw syntax('unexpected text after the value');
        if (!haveResult) throw syntax('no value');
        return result!;
      }
      skipWhitespace();
      const d = text.charCodeAt(i);
      const isArray = Array.isArray(frame.container);
      if (d === 0x2c) {
        i++;
        if (!isArray) readKey(frame);
        break;
      }
      if (d === (isArray ? 0x5d : 0x7d)) {
        i++;
        stack.pop();
        store(frame.container);
        continue;
      }
      throw syntax(isArray ? 'expected "," or "]"' : 'expected "," or "}"');
    }
  }
}
