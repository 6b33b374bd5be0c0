"""Records Python's format(value, spec) for the specs ModelCheckpoint filename templates use.

Run: /usr/bin/python3 scripts/python/format_spec_fixture.py > test/components/callbacks/fixtures/python-format.json
Non-finite values are written as the strings "nan", "inf", "-inf" (JSON has no literal for them).
"""
import json
import math

CASES = [
    (0.41234, '.3f'), (0.4125, '.3f'), (3, '02d'), (3.7, 'd'), (1234.5, '.2e'), (0.00012345, '.3g'),
    (123456789.0, '.4g'), (0.5, '.3g'), (100, '.3g'), (1000, '.3g'), (-3, '03d'), (0.1234, '.1%'),
    (12.0, 'g'), (float('nan'), '.3f'), (float('inf'), '.2e'), (float('-inf'), '.4f'), (2.5, '08.3f'),
    (-2.5, '08.3f'), (1e-05, '.2g'), (0.0001, 'g'), (0.5, '.0f'), (7.25, '.1E'), (1e20, '.3g'), (0.1, ''),
    (42, ''), (0.000123, '.2f'), (5, '5d'),
]


def encode(value):
    if isinstance(value, float) and not math.isfinite(value):
        return 'nan' if math.isnan(value) else ('inf' if value > 0 else '-inf')
    return value


def main():
    rows = []
    for value, spec in CASES:
        # Python's int formats with 'd'; a float does not, so 'd' cases are recorded from int(value) as Lightning's
        # epoch/step tensors are integers.
        formatted = format(int(value) if spec.endswith('d') else value, spec)
        rows.append({'value': encode(value), 'spec': spec, 'formatted': formatted})
    print(json.dumps(rows, indent=1))


if __name__ == '__main__':
    main()
