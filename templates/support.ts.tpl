{{fieldsType}}{{codecs}}
/** Keys accepted in the state of {{className}}: current keys and legacy names. */
const {{className}}$keys: ReadonlySet<string> = new Set([{{keys}}]);
