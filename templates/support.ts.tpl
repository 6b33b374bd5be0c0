{{fieldsType}}{{codecs}}
/** Keys accepted in the state of {{className}}: current keys and legacy names. */
const {{className}}$keys: readonly string[] = [{{keys}}];
