import { describe, expect, it } from 'vitest';
import { Imports } from '../../../codegen/emit/imports.js';

describe('Imports', () => {
  it('renders packages before relative paths, sorted, with type-only modules as import type', () => {
    const imports = new Imports();
    imports.add('./b.js', 'B', true);
    imports.add('kindling', 'withShims', false);
    imports.add('./a.js', 'A', true);
    imports.add('kindling', 'LoadOptions', true);
    imports.add('kindling', 'generatedRuntime', false, '$rt');
    expect(imports.render()).toEqual([
      "import { type LoadOptions, generatedRuntime as $rt, withShims } from 'kindling';",
      "import type { A } from './a.js';",
      "import type { B } from './b.js';",
    ]);
  });

  it('lets a value import win over a type-only import of the same name, in either order', () => {
    const first = new Imports();
    first.add('./m.js', 'Money', true);
    first.add('./m.js', 'Money', false);
    const second = new Imports();
    second.add('./m.js', 'Money', false);
    second.add('./m.js', 'Money', true);
    expect(first.render()).toEqual(["import { Money } from './m.js';"]);
    expect(second.render()).toEqual(first.render());
  });
});
