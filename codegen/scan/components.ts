/**
 * Finds the `@stateful` classes of a source file and describes them as {@link ComponentModel}s: their persisted
 * fields (inherited ones first, as `persistedFields()` orders them at run time), options and types.
 */
import { type ClassDeclaration, Node, type PropertyDeclaration, type SourceFile, type Type } from 'ts-morph';
import { type Diagnostic, type DiagnosticCode, diagnostic, type Location } from '../diagnostics.js';
import type { ComponentModel, FieldModel, TypeModel, TypeRef } from '../model.js';
import { findDecorator, type OptionProblem, readPersistOptions, readStatefulOptions } from './decorators.js';
import { designTypeOf } from './design-type.js';
import type { LibraryState, StatefulClasses } from './stateful-classes.js';
import { statefulHolderModel } from './stateful-holders.js';
import { scanFieldType, type TypeScanContext, withoutUndefined } from './types.js';

function locationOf(node: Node): Location {
  const sf = node.getSourceFile();
  const { line, column } = sf.getLineAndColumnAtPos(node.getStart());
  return { file: sf.getFilePath(), line, column };
}

/** A reference to an exported, top-level declaration of a project file (not a library). */
export function refTo(declaration: Node, name: string): TypeRef | undefined {
  const sf = declaration.getSourceFile();
  if (sf.isInNodeModules() || sf.isDeclarationFile()) return undefined;
  if (!Node.isExportable(declaration) || !declaration.isExported()) return undefined;
  return { name, file: sf.getFilePath() };
}

/** The generated State type of a @stateful class. */
export function stateRefOf(cls: ClassDeclaration): TypeRef {
  return { name: `${cls.getName() ?? 'Anonymous'}State`, file: cls.getSourceFile().getFilePath(), inGenerated: true };
}

/** Scans classes, each once, so a base class shared by many components is read (and reported) once. */
export class ComponentScanner {
  private readonly ownFields = new Map<ClassDeclaration, { fields: readonly FieldModel[]; failed: boolean }>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly classes: StatefulClasses) {}

  private errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  private report(code: DiagnosticCode, node: Node, subject: string, reason: string): void {
    this.diagnostics.push(diagnostic(code, locationOf(node), subject, reason));
  }

  /**
   * The components of a file; `failed` when any of them (or an ancestor) has an error, in which case the file gets no
   * generated code: a generated file missing a field would only fail later, at run time.
   */
  scanFile(sf: SourceFile): { components: ComponentModel[]; failed: boolean } {
    const components: ComponentModel[] = [];
    let failed = false;
    for (const cls of sf.getClasses()) {
      const decorator = findDecorator(cls, 'stateful');
      if (decorator === undefined) {
        if (this.uncovered(cls)) failed = true;
        continue;
      }
      const before = this.errorCount();
      const model = this.scanComponent(cls);
      if (model === undefined || this.errorCount() > before || this.chainFailed(cls)) failed = true;
      else components.push(model);
    }
    return { components, failed };
  }

  private chainFailed(cls: ClassDeclaration): boolean {
    return (ancestry(cls)?.chain ?? [cls]).some((c) => this.ownFields.get(c)?.failed === true);
  }

  /**
   * Reports (and returns true for) a class with `@persist` fields of its own that is not `@stateful` but inherits
   * generated code from its nearest `@stateful` ancestor (a project class wired to generated state, or a library
   * class): those fields would not be saved, and the run time refuses its instances. An abstract class, one only the
   * base of `@stateful` subclasses (which inline its fields), and one under the reflective engine are fine.
   */
  private uncovered(cls: ClassDeclaration): boolean {
    const own = cls.getMembers().filter((m) => Node.isDecoratable(m) && findDecorator(m, 'persist') !== undefined);
    if (own.length === 0 || cls.isAbstract()) return false;
    let ancestor = cls.getBaseClass();
    while (ancestor !== undefined && !this.classes.isStateful(ancestor)) ancestor = ancestor.getBaseClass();
    if (ancestor === undefined || !this.isGenerated(ancestor)) return false;
    // Searched last: finding subclasses asks the language service for references.
    if (cls.getDerivedClasses().some((d) => findDecorator(d, 'stateful') !== undefined)) return false;
    const name = cls.getName() ?? '(anonymous class)';
    const fields = own.map((m) => (Node.hasName(m) ? m.getName() : '?')).join(', ');
    this.report(
      'KC1018',
      cls.getNameNode() ?? cls,
      name,
      `it declares @persist fields (${fields}) but is not @stateful, so the generated code of ${ancestor.getName() ?? 'its base class'} ` +
        `it inherits would not save them: add @stateful(${name}State) with import { ${name}State } from ` +
        `'./${baseName(cls.getSourceFile())}.state.generated.js'`,
    );
    return true;
  }

  /** Whether a @stateful class uses generated code (a library class always does). */
  private isGenerated(cls: ClassDeclaration): boolean {
    if (cls.getSourceFile().isDeclarationFile()) return true;
    return readStatefulOptions(findDecorator(cls, 'stateful')!, []).generatedName !== undefined;
  }

  private scanComponent(cls: ClassDeclaration): ComponentModel | undefined {
    const className = cls.getName();
    const nameNode = cls.getNameNode() ?? cls;
    if (className === undefined) {
      this.report('KC1006', cls, '(anonymous class)', 'a @stateful class needs a name');
      return undefined;
    }
    if (!cls.isExported()) this.report('KC1006', nameNode, className, 'the class is not exported');
    if (cls.getTypeParameters().length > 0) {
      this.report('KC1013', nameNode, className, 'the class is generic, so its state type is not one concrete type');
    }
    const problems: OptionProblem[] = [];
    const options = readStatefulOptions(findDecorator(cls, 'stateful')!, problems);
    for (const p of problems) this.report('KC1008', p.node, className, p.reason);
    const expected = `${className}State`;
    if (options.generatedName === undefined) {
      this.report(
        'KC1007',
        nameNode,
        className,
        `@stateful() has no generated state, so the class uses the untyped reflective engine: write ` +
          `@stateful(${expected}) with import { ${expected} } from './${baseName(cls.getSourceFile())}.state.generated.js'`,
      );
    } else if (options.generatedName !== expected) {
      this.report('KC1008', nameNode, className, `@stateful(${options.generatedName}) should be @stateful(${expected})`);
    }

    const lineage = ancestry(cls);
    if (lineage === undefined) {
      this.report('KC1017', nameNode, className, 'its base class cannot be resolved to a class declaration');
      return undefined;
    }
    const chain = lineage.chain;
    const fields: FieldModel[] = [];
    for (const c of chain) {
      for (const f of this.fieldsOf(c)) {
        const at = fields.findIndex((o) => o.property === f.property);
        if (at >= 0) fields[at] = f;
        else fields.push(f);
      }
    }
    this.checkKeys(className, fields);
    const baseClass = [...chain].reverse().find((c) => c !== cls && findDecorator(c, 'stateful') !== undefined);
    const base = baseClass && {
      className: baseClass.getName() ?? 'Anonymous',
      state: stateRefOf(baseClass),
      fields: this.allFieldNames(baseClass),
    };
    const composes = lineage.external && this.composedLibrary(lineage.external, chain[0]!, cls, fields);
    if (composes === null) return undefined;
    const { line, column } = locationOf(nameNode);
    return {
      className,
      file: cls.getSourceFile().getFilePath(),
      line,
      column,
      ...(base ? { base } : {}),
      ...(composes ? { composes } : {}),
      fields,
      legacyKeys: options.legacyKeys,
      wired: options.generatedName === expected,
    };
  }

  /**
   * The nearest `@stateful` ancestor among the library classes above the project's (`external` is the first of them),
   * whose generated state the component composes with at run time; null (reported) when its State cannot be imported
   * or a field reuses one of its keys.
   */
  private composedLibrary(
    external: ClassDeclaration,
    outermost: ClassDeclaration,
    cls: ClassDeclaration,
    fields: readonly FieldModel[],
  ): ComponentModel['composes'] | null | undefined {
    let library: LibraryState | undefined;
    for (let c: ClassDeclaration | undefined = external; c !== undefined && library === undefined; c = c.getBaseClass()) {
      library = this.classes.libraryState(c);
    }
    if (library === undefined) return undefined;
    const subject = cls.getName() ?? 'Anonymous';
    const state = this.classes.importRef(outermost.getSourceFile(), library);
    if (state === undefined) {
      this.report(
        'KC1019',
        cls.getNameNode() ?? cls,
        subject,
        `its library base class ${library.className} has the generated state ${library.stateName}, but none of the ` +
          `modules ${baseName(outermost.getSourceFile())}.ts imports exports it`,
      );
      return null;
    }
    const taken = new Set(library.keys);
    let clash = false;
    for (const f of fields) {
      for (const key of [f.key, ...f.legacyNames]) {
        if (!taken.has(key)) continue;
        clash = true;
        const reason =
          `its key "${key}" is also a key of the state of its library base class ${library.className}, whose generated ` +
          'code saves it (to re-declare an inherited field, leave out @persist)';
        this.diagnostics.push(diagnostic('KC1009', f, `${subject}.${f.property}`, reason));
      }
    }
    return clash ? null : { className: library.className, state };
  }

  /**
   * Where the State of a @stateful class held by a field is imported from: a project class's generated file, or the
   * module the field's file imports a library class from. Undefined for a class that is not @stateful; null (reported)
   * for a library class whose State the field's file cannot import.
   */
  private stateOf(cls: ClassDeclaration, at: PropertyDeclaration, subject: string): TypeRef | undefined | null {
    if (!cls.getSourceFile().isDeclarationFile()) return this.classes.isStateful(cls) ? stateRefOf(cls) : undefined;
    const library = this.classes.libraryState(cls);
    if (library === undefined) return undefined;
    const ref = this.classes.importRef(at.getSourceFile(), library);
    if (ref !== undefined) return ref;
    this.report(
      'KC1019',
      at,
      subject,
      `the library class ${library.className} has the generated state ${library.stateName}, but none of the ` +
        `modules ${baseName(at.getSourceFile())}.ts imports exports it`,
    );
    return null;
  }

  private allFieldNames(cls: ClassDeclaration): string[] {
    const names: string[] = [];
    for (const c of ancestry(cls)?.chain ?? [cls]) {
      for (const f of this.fieldsOf(c)) if (!names.includes(f.property)) names.push(f.property);
    }
    return names;
  }

  private checkKeys(className: string, fields: readonly FieldModel[]): void {
    const owners = new Map<string, string>();
    for (const f of fields) {
      for (const key of [f.key, ...f.legacyNames]) {
        const other = owners.get(key);
        if (other !== undefined && other !== f.property) {
          const reason = `its key "${key}" is also used by ${className}.${other}`;
          this.diagnostics.push(diagnostic('KC1009', f, `${className}.${f.property}`, reason));
        } else owners.set(key, f.property);
      }
    }
  }

  /** The @persist fields a class declares in its own body. */
  private fieldsOf(cls: ClassDeclaration): readonly FieldModel[] {
    const cached = this.ownFields.get(cls);
    if (cached) return cached.fields;
    const before = this.errorCount();
    const owner = cls.getName() ?? 'Anonymous';
    const fields: FieldModel[] = [];
    for (const member of cls.getMembers()) {
      if (!Node.isDecoratable(member) || findDecorator(member, 'persist') === undefined) continue;
      const subject = `${owner}.${Node.hasName(member) ? member.getName() : '?'}`;
      if (!Node.isPropertyDeclaration(member) || member.isStatic()) {
        this.report('KC1011', member, subject, 'it is not an instance field');
        continue;
      }
      const field = this.scanField(member, owner, subject);
      if (field) fields.push(field);
    }
    this.ownFields.set(cls, { fields, failed: this.errorCount() > before });
    return fields;
  }

  private scanField(prop: PropertyDeclaration, owner: string, subject: string): FieldModel | undefined {
    const nameNode = prop.getNameNode();
    if (Node.isPrivateIdentifier(nameNode)) {
      this.report('KC1005', prop, subject, 'it is an ECMAScript #private field');
      return undefined;
    }
    if (!Node.isIdentifier(nameNode) && !Node.isStringLiteral(nameNode)) {
      this.report('KC1011', prop, subject, 'its name is computed');
      return undefined;
    }
    const property = prop.getName();
    const problems: OptionProblem[] = [];
    const options = readPersistOptions(findDecorator(prop, 'persist')!, problems);
    for (const p of problems) this.report('KC1008', p.node, subject, p.reason);
    const type = prop.getType();
    const { members, hadUndefined } = withoutUndefined(type);
    const undefinable = hadUndefined || prop.hasQuestionToken();
    let model: TypeModel | undefined;
    const ctx: TypeScanContext = {
      at: prop,
      report: (code, reason) => this.report(code, prop, subject, reason),
      refTo,
      isTensor: (d) => this.classes.isTensor(d),
      valueKindOf: (t) => this.classes.valueKindOf(t, prop),
      isStateful: (c) => this.classes.isStateful(c),
    };
    const nested = statefulHolderModel(members, { ...ctx, stateOf: (c) => this.stateOf(c, prop, subject) });
    if (options.codec) {
      model = { kind: 'valueKind' };
    } else if (options.opaque) {
      model = { kind: 'opaque' };
    } else if (options.typeClass) {
      const cls = options.typeClass;
      const ref = refTo(cls, cls.getName() ?? 'Anonymous');
      if (ref === undefined) this.report('KC1004', prop, subject, `class ${cls.getName() ?? '(anonymous)'} given in \`type\` is not exported from a project file`);
      else model = instanceModel(members, { kind: 'instance', className: ref.name, ref });
      if (ref !== undefined && model === undefined) {
        this.report('KC1004', prop, subject, '`type: () => C` applies to fields of type C, C | null, C[] or (C | null)[]');
      }
    } else if (nested !== null) {
      model = nested;
    } else {
      model = scanFieldType(members, type, ctx);
    }
    if (model === undefined) return undefined;
    const design = designTypeOf(prop);
    return {
      property,
      key: options.name ?? property,
      legacyNames: options.legacyNames,
      optional: options.optional,
      undefinable,
      type: model,
      ...(options.opaque ? { opaque: true } : {}),
      ...(options.resizable ? { resizable: true } : {}),
      ...(options.codec ? { codec: true } : {}),
      ...(options.typeClass ? { converted: true } : {}),
      ...(design ? { design } : {}),
      owner,
      ...locationOf(prop),
    };
  }
}

/**
 * The model of a `@persist({ type: () => C })` field, following class-transformer's convention that the option names
 * the element class of arrays: `C`, `C | null`, `C[]`, `readonly C[]`, `(C | null)[]`; undefined for other shapes.
 */
function instanceModel(members: readonly Type[], instance: TypeModel): TypeModel | undefined {
  const withNull = (ms: readonly Type[], inner: TypeModel): TypeModel | undefined => {
    const rest = ms.filter((m) => !m.isNull());
    if (rest.length !== 1) return undefined;
    const single = rest[0]!;
    const element = single.isArray() || single.isReadonlyArray() ? single.getArrayElementType() ?? single.getTypeArguments()[0] : undefined;
    let model: TypeModel | undefined = inner;
    if (element !== undefined) {
      const elementMembers = element.isUnion() ? element.getUnionTypes() : [element];
      const item = withNull(elementMembers, inner);
      model = item && item.kind !== 'array' ? { kind: 'array', element: item, readonly: single.isReadonlyArray() } : undefined;
    } else if (!single.getSymbol()?.getDeclarations().some(Node.isClassDeclaration)) {
      model = undefined;
    }
    return model && rest.length < ms.length ? { kind: 'union', members: [model, { kind: 'null' }] } : model;
  };
  return withNull(members, instance);
}

/**
 * The class and its project ancestors, outermost first, and the first ancestor from a declaration file (a library),
 * which ends the chain: its decorators are erased, so it contributes no fields the generator could see (a `@stateful`
 * one is composed with at run time). Undefined when a base class expression cannot be resolved (mixins, calls).
 */
function ancestry(cls: ClassDeclaration): { chain: ClassDeclaration[]; external?: ClassDeclaration } | undefined {
  const chain: ClassDeclaration[] = [cls];
  for (let c = cls; ; ) {
    const heritage = c.getExtends();
    if (heritage === undefined) return { chain };
    const base = c.getBaseClass();
    if (base === undefined) {
      const expr = heritage.getExpression();
      return Node.isIdentifier(expr) || Node.isPropertyAccessExpression(expr) ? { chain } : undefined;
    }
    if (base.getSourceFile().isDeclarationFile()) return { chain, external: base };
    chain.unshift(base);
    c = base;
  }
}

function baseName(sf: SourceFile): string {
  return sf.getBaseNameWithoutExtension();
}
