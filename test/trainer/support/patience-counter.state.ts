// What `kindling codegen` writes for patience-counter.ts (kept by hand: codegen skips test/).
import * as $rt from '../../../src/runtime/index.js';
import type { PatienceCounter } from './patience-counter.js';

export type PatienceCounterState = {
  wait: number;
  best: number | null;
};

declare module './patience-counter.js' {
  interface PatienceCounter {
    stateDict(): PatienceCounterState;
    loadStateDict(state: PatienceCounterState, options?: $rt.LoadOptions): $rt.LoadResult;
  }
}

type PatienceCounter$Fields = { wait: number; best: number | null };

const PatienceCounter$codecs = {
  best: $rt.typed<number | null>($rt.nullable($rt.number)),
};

export const PatienceCounterState: $rt.GeneratedStateWithShims<PatienceCounter, PatienceCounterState> = $rt.defineState({
  className: 'PatienceCounter',
  source: 'test/trainer/support/patience-counter.ts',
  fields: [
    { property: 'wait', legacyNames: ['waitCount'] },
    'best',
  ],
  legacyKeys: ['PatienceCounter', 'patience_counter'],
  keys: ['wait', 'waitCount', 'best'],
  stateDict(self) {
    const s = self as unknown as PatienceCounter$Fields;
    return { wait: s.wait, best: s.best };
  },
  loadFields(self, load) {
    const s = self as unknown as PatienceCounter$Fields;
    const wait$ = load.field('wait', ['waitCount'], 'required', $rt.number);
    const best$ = load.field('best', [], 'required', PatienceCounter$codecs.best);
    return () => {
      if (wait$ !== $rt.ABSENT) s.wait = wait$;
      if (best$ !== $rt.ABSENT) s.best = best$;
    };
  },
});
