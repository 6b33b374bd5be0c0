// What `kindling codegen test/trainer/support/tiny.ts` writes for tiny.ts (kept by hand, as tiny.state.ts: codegen skips
// test/). After changing TinyRegressor's @persist fields, run that command and copy its output here.
import * as $rt from '../../../src/runtime/index.js';
import type { ModuleState } from '../../../src/components/nn/module.state.generated.js';
import type { TinyRegressor } from './tiny.js';

/** The state of {@link TinyRegressor}, the class in test/trainer/support/tiny.ts. */
export type TinyRegressorState = ModuleState & {
  weight: $rt.ValueKindState<'kindling.Parameter'>;
  bias: $rt.ValueKindState<'kindling.Parameter'>;
};

declare module './tiny.js' {
  interface TinyRegressor {
    stateDict(): TinyRegressorState;
    loadStateDict(state: TinyRegressorState, options?: $rt.LoadOptions): $rt.LoadResult;
  }
}

/** TinyRegressor's persisted fields as the generated code reads and writes them (private ones included). */
type TinyRegressor$Fields = {
  weight: object;
  bias: object;
};

const TinyRegressor$codecs = {
  weight: $rt.typedPlacer<object, $rt.ValueKindState<'kindling.Parameter'>>($rt.placeKind('kindling.Parameter')),
  bias: $rt.typedPlacer<object, $rt.ValueKindState<'kindling.Parameter'>>($rt.placeKind('kindling.Parameter')),
};

export const TinyRegressorState: $rt.GeneratedStateWithShims<TinyRegressor, TinyRegressorState> = $rt.defineState({
  className: 'TinyRegressor',
  source: 'test/trainer/support/tiny.ts',
  fields: ['weight', 'bias'],
  legacyKeys: ['TinyRegressor', 'tiny_regressor'],
  keys: ['weight', 'bias'],
  stateDict(self) {
    const s = self as unknown as TinyRegressor$Fields;
    return {
      weight: TinyRegressor$codecs.weight.encode(s.weight),
      bias: TinyRegressor$codecs.bias.encode(s.bias),
    };
  },
  loadFields(self, load) {
    const s = self as unknown as TinyRegressor$Fields;
    const weight$ = load.place('weight', [], 'required', TinyRegressor$codecs.weight, s.weight);
    const bias$ = load.place('bias', [], 'required', TinyRegressor$codecs.bias, s.bias);
    return () => {
      if (weight$ !== $rt.ABSENT) s.weight = weight$();
      if (bias$ !== $rt.ABSENT) s.bias = bias$();
    };
  },
});
