import type { DType } from '../state/tensor.js';

/** safetensors' dtype names for kindling's dtypes (bool is one byte per element, 0 or 1, as in safetensors). */
const TO_SAFETENSORS: { readonly [D in DType]: string } = {
  float64: 'F64',
  float32: 'F32',
  float16: 'F16',
  bfloat16: 'BF16',
  int64: 'I64',
  int32: 'I32',
  int16: 'I16',
  int8: 'I8',
  uint64: 'U64',
  uint32: 'U32',
  uint16: 'U16',
  uint8: 'U8',
  bool: 'BOOL',
};

const FROM_SAFETENSORS: ReadonlyMap<string, DType> = new Map(
  (Object.entries(TO_SAFETENSORS) as [DType, string][]).map(([dtype, name]) => [name, dtype]),
);

export function safetensorsDType(dtype: DType): string {
  return TO_SAFETENSORS[dtype];
}

/** The kindling dtype of a safetensors dtype name, or undefined for names kindling does not support (e.g. F8_E4M3). */
export function dtypeFromSafetensors(name: string): DType | undefined {
  return FROM_SAFETENSORS.get(name);
}

export const SAFETENSORS_DTYPES: readonly string[] = [...FROM_SAFETENSORS.keys()];
