/**
 * Every diagnostic `kindling codegen` can report, with a stable code. Codes are never reused or renumbered: tests,
 * docs and users' searches refer to them. A message is `Class.field: <reason>. <what to do>`.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Absolute path of the file the problem is in. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** `KC1001` … */
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** `Class.field: reason. what to do` */
  readonly message: string;
}

interface CodeInfo {
  readonly severity: Severity;
  /** One line for the docs table. */
  readonly title: string;
  /** What to do, appended to every message with this code. */
  readonly fix: string;
}

export const DIAGNOSTIC_CODES = {
  KC1001: {
    severity: 'error',
    title: 'function-typed field',
    fix: 'functions are behaviour, not state: remove @persist or persist the data the function is built from',
  },
  KC1002: {
    severity: 'error',
    title: 'symbol-typed field',
    fix: 'symbols cannot be saved: persist a string instead',
  },
  KC1003: {
    severity: 'error',
    title: '`any`/`unknown`/`object` without an explicit option',
    fix: 'give the field a precise type, or opt in with @persist({ opaque: true }) to store unchecked plain data',
  },
  KC1004: {
    severity: 'error',
    title: 'instance of a class that is neither @stateful nor declared with @persist({ type })',
    fix: 'decorate the class with @stateful(), or declare @persist({ type: () => TheClass }) to convert it with class-transformer',
  },
  KC1005: {
    severity: 'error',
    title: 'ECMAScript #private field',
    fix: 'generated code cannot reach #private fields: use a `private` field instead',
  },
  KC1006: {
    severity: 'error',
    title: '@stateful class is not exported',
    fix: 'export the class: the generated file imports its type',
  },
  KC1007: {
    severity: 'warning',
    title: '@stateful() is not wired to its generated state',
    fix: 'wired, it gets typed, reflection-free stateDict()/loadStateDict()',
  },
  KC1008: {
    severity: 'error',
    title: 'decorator option is not a literal',
    fix: 'the generator reads options statically: write them as literals (strings, arrays of strings, true/false)',
  },
  KC1009: {
    severity: 'error',
    title: 'two fields share a state key',
    fix: 'give one of them another key with @persist({ name })',
  },
  KC1010: {
    severity: 'error',
    title: 'recursive type',
    fix: 'recursive state types are not supported: flatten the structure or store it with @persist({ opaque: true })',
  },
  KC1011: {
    severity: 'error',
    title: '@persist on something that is not an instance field',
    fix: '@persist applies to instance fields only (not static fields, accessors or methods)',
  },
  KC1012: {
    severity: 'error',
    title: 'nested @stateful value in an unsupported position',
    fix: 'a field may hold @stateful objects (of one class, its subclasses or a union of classes) directly, as `T | null`, or as the elements of an array, a tuple, a `Record<string, T>` or a `Map<string | number, T>` (not in a Set, an object type, a nested collection or as `T | null` elements)',
  },
  KC1013: {
    severity: 'error',
    title: 'type parameter',
    fix: 'state types must be concrete: replace the type parameter with a concrete type',
  },
  KC1014: {
    severity: 'error',
    title: 'ambiguous union',
    fix: 'union members must be told apart by their saved form: Map, Set, Date, bigint, tensors and objects cannot be mixed with each other or with a primitive of the same saved kind',
  },
  KC1015: {
    severity: 'error',
    title: 'unsupported type',
    fix: 'use plain data (primitives, arrays, tuples, objects, records), Tensor, Map, Set, Date, bigint or a @stateful class',
  },
  KC1016: {
    severity: 'error',
    title: 'tuple with a rest element',
    fix: 'use a fixed-length tuple or an array',
  },
  KC1017: {
    severity: 'error',
    title: '@stateful subclass of a generic or unresolvable base class',
    fix: 'the base class must be a class the generator can read (declared in the project, not a mixin or expression)',
  },
  KC1018: {
    severity: 'error',
    title: '@persist fields in a subclass of a @stateful class that is not @stateful itself',
    fix: 'then run kindling codegen',
  },
  KC1019: {
    severity: 'error',
    title: "a library class's generated state cannot be imported",
    fix: "import the class from the package entry that also exports its generated XState (a library must export both; kindling's own do)",
  },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Where a diagnostic points. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * A diagnostic with its code's severity and fix: `subject` is `Class.field` (or `Class`), `reason` says what is wrong
 * in this instance (e.g. `type Map<string, () => void> holds a function at value`).
 */
export function diagnostic(code: DiagnosticCode, at: Location, subject: string, reason: string): Diagnostic {
  const info: CodeInfo = DIAGNOSTIC_CODES[code];
  return {
    file: at.file,
    line: at.line,
    column: at.column,
    code,
    severity: info.severity,
    message: `${subject}: ${reason}; ${info.fix}.`,
  };
}

/** Stable order for printing: by file, line, column, code, message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
