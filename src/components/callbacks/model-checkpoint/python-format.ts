/**
 * Numbers as Python's `format(value, spec)` writes them, for the specs checkpoint filename templates use
 * (`.3f`, `.2e`, `03d`, `.4g`, `.1%`, optional zero fill and width). Rounding is Python's: correctly rounded from
 * the exact binary value, ties to even (`format(0.5, '.0f')` is `0`, where JavaScript's `toFixed` gives `1`).
 * Checked against values recorded from Python (scripts/python/format_spec_fixture.py).
 */

/** `[fill0][width][.precision][type]`. */
export const FORMAT_SPEC = /^(0)?(\d+)?(?:\.(\d+))?([fFeEgGd%])?$/;

/** The exact decimal digits of a finite, non-zero |x|: `0.d1d2…` × 10^`point`, without trailing zeros. */
interface Digits {
  readonly digits: string;
  /** The position of the decimal point relative to the first digit: x = 0.digits × 10^point. */
  readonly point: number;
}

function exactDigits(x: number): Digits {
  const abs = Math.abs(x);
  if (Number.isSafeInteger(abs)) {
    // An integer below 2^53 prints exactly (String gives every digit, no exponent): the progress bar's step.
    const text = String(abs);
    const digits = text.replace(/0+$/, '');
    return { digits: digits === '' ? '0' : digits, point: text.length };
  }
  // 100 significant digits are exact for every double whose expansion is that short, which includes every tie.
  const [mantissa, exponent] = abs.toExponential(99).split('e') as [string, string];
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return { digits: digits === '' ? '0' : digits, point: Number(exponent) + 1 };
}

/** `d` rounded to `keep` leading digits, ties to even; the result may gain a digit (999 → 1000). */
function roundDigits(d: Digits, keep: number): Digits {
  if (keep >= d.digits.length) return d;
  if (keep < 0) return { digits: '0', point: d.point - keep };
  const head = d.digits.slice(0, keep);
  const rest = d.digits.slice(keep);
  const half = rest === '5' ? 0 : rest[0]! >= '5' ? 1 : -1;
  const last = head === '' ? 0 : Number(head[head.length - 1]);
  const up = half === 1 || (half === 0 && last % 2 === 1);
  if (!up) return { digits: head === '' ? '0' : head, point: head === '' ? d.point - keep : d.point };
  const bumped = (BigInt(head === '' ? '0' : head) + 1n).toString();
  if (head === '') return { digits: '1', point: d.point - keep + 1 };
  return bumped.length > head.length ? { digits: bumped, point: d.point + 1 } : { digits: bumped.padStart(head.length, '0'), point: d.point };
}

/** Fixed notation with `decimals` places (`exact`: the digits of x, when the caller has them). */
function fixed(x: number, decimals: number, exact?: Digits): string {
  if (x === 0) return (Object.is(x, -0) ? '-' : '') + (decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0');
  const d = exact ?? exactDigits(x);
  const rounded = roundDigits(d, d.point + decimals);
  const all = rounded.digits === '0' ? '0' : rounded.digits.padEnd(rounded.point + decimals, '0');
  // all holds the digits of round(|x| × 10^decimals).
  const scaled = all.padStart(decimals + 1, '0');
  const intPart = scaled.slice(0, scaled.length - decimals);
  const fracPart = scaled.slice(scaled.length - decimals);
  return (x < 0 ? '-' : '') + intPart + (decimals > 0 ? `.${fracPart}` : '');
}

/** Exponent notation with `significant` digits: `1.23e+03`. */
function exponent(x: number, significant: number, exact?: Digits): { text: string; exp: number } {
  if (x === 0) return { text: `${Object.is(x, -0) ? '-' : ''}${significant > 1 ? `0.${'0'.repeat(significant - 1)}` : '0'}e+00`, exp: 0 };
  const rounded = roundDigits(exact ?? exactDigits(x), significant);
  const digits = rounded.digits.padEnd(significant, '0');
  const exp = rounded.point - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = exp < 0 ? '-' : '+';
  return { text: `${x < 0 ? '-' : ''}${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`, exp };
}

/** Python's `g`: `precision` significant digits, exponent form outside [1e-4, 10^precision), trailing zeros dropped. */
function general(x: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  // The exact digits once, for both notations (the progress bar formats a few numbers per line with `.3g`).
  const exact = x === 0 ? undefined : exactDigits(x);
  const { text, exp } = exponent(x, p, exact);
  if (exp < -4 || exp >= p) return text.replace(/\.?0+e/, 'e');
  const out = fixed(x, Math.max(0, p - 1 - exp), exact);
  return out.includes('.') ? out.replace(/\.?0+$/, '') : out;
}

/**
 * `format(value, spec)`. Without a spec, JavaScript's shortest form (Python's `str` differs only in exponent
 * notation: `1e-05` vs `1e-5`). Throws a TypeError on a spec outside {@link FORMAT_SPEC}.
 */
export function formatNumber(value: number, spec: string | undefined): string {
  if (spec === undefined || spec === '') return Number.isFinite(value) || Number.isNaN(value) ? pythonRepr(value) : value > 0 ? 'inf' : '-inf';
  const match = FORMAT_SPEC.exec(spec);
  if (match === null) throw new TypeError(`format spec ':${spec}' is not supported (use e.g. :.3f, :.2e, :03d)`);
  const [, zero, width, precisionText, type] = match;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  let body: string;
  if (!Number.isFinite(value)) body = Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  else if (type === 'd') body = Math.trunc(value).toString();
  else if (type === 'f' || type === 'F') body = fixed(value, precision ?? 6);
  else if (type === '%') body = `${fixed(value * 100, precision ?? 6)}%`;
  else if (type === 'e' || type === 'E') body = exponent(value, (precision ?? 6) + 1).text;
  else if (type === 'g' || type === 'G') body = general(value, precision ?? 6);
  else body = precision === undefined ? pythonRepr(value) : general(value, precision);
  if (type === 'E' || type === 'G' || type === 'F') body = body.toUpperCase();
  const minWidth = width === undefined ? 0 : Number(width);
  if (body.length >= minWidth) return body;
  if (zero === undefined || !Number.isFinite(value)) return body.padStart(minWidth, ' ');
  const sign = body.startsWith('-') ? '-' : '';
  return sign + body.slice(sign.length).padStart(minWidth - sign.length, '0');
}

function pythonRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}
