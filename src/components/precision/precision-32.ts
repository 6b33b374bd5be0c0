/** Full float32 training, Lightning's `'32-true'`: the base plugin under the name a trainer option selects. */
import { stateful } from '../../state/index.js';
import { Precision } from './precision.js';
import { Precision32State } from './precision-32.state.generated.js';

@stateful(Precision32State)
export class Precision32 extends Precision {}
